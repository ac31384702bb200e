import Apply
import Schema
import Testing

struct ReadinessRulesTests {
    func object(_ json: String) throws -> JSONValue { try JSONReader.parse(json) }

    @Test func deploymentsAreReadyWhenRolledOutAndAvailable() throws {
        let base = #"{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":3},"status":"#
        #expect(ReadinessRules.evaluate(try object(base + #"{"observedGeneration":1,"updatedReplicas":3,"availableReplicas":3}}"#)) != .ready)
        #expect(ReadinessRules.evaluate(try object(base + #"{"observedGeneration":2,"updatedReplicas":3,"availableReplicas":2}}"#))
            == .progressing("2/3 replicas available"))
        #expect(ReadinessRules.evaluate(try object(base + #"{"observedGeneration":2,"updatedReplicas":3,"availableReplicas":3}}"#)) == .ready)
        let stuck = base + #"{"observedGeneration":2,"conditions":[{"type":"Progressing","status":"False","message":"ProgressDeadlineExceeded"}]}}"#
        #expect(ReadinessRules.evaluate(try object(stuck)) == .failed("rollout stuck: ProgressDeadlineExceeded"))
    }

    @Test func statefulSetsDaemonSetsJobsAndClaims() throws {
        #expect(ReadinessRules.evaluate(try object(#"{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"readyReplicas":3,"updatedReplicas":3,"currentRevision":"a","updateRevision":"b"}}"#))
            == .progressing("rolling out revision b"))
        #expect(ReadinessRules.evaluate(try object(#"{"kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":4,"updatedNumberScheduled":4,"numberReady":3}}"#))
            == .progressing("3/4 pods ready"))
        #expect(ReadinessRules.evaluate(try object(#"{"kind":"Job","status":{"conditions":[{"type":"Failed","status":"True","message":"BackoffLimitExceeded"}]}}"#))
            == .failed("job failed: BackoffLimitExceeded"))
        #expect(ReadinessRules.evaluate(try object(#"{"kind":"PersistentVolumeClaim","status":{"phase":"Pending"}}"#)) != .ready)
        #expect(ReadinessRules.evaluate(try object(#"{"kind":"PersistentVolumeClaim","status":{"phase":"Pending"}}"#), lazyBinding: true) == .ready)
        #expect(ReadinessRules.evaluate(try object(#"{"kind":"CustomResourceDefinition","status":{"conditions":[{"type":"Established","status":"True"}]}}"#)) == .ready)
        #expect(ReadinessRules.evaluate(try object(#"{"kind":"Namespace","status":{"phase":"Terminating"}}"#)) == .progressing("phase Terminating"))
    }

    @Test func customResourcesFollowTheirReadyConditionAndUnknownIsBounded() throws {
        let unknown = try object(#"{"kind":"Platform","status":{"conditions":[{"type":"Ready","status":"Unknown","message":"reconciling"}]}}"#)
        #expect(ReadinessRules.evaluate(unknown, polls: 3, unknownGrace: 5) == .progressing("Ready is Unknown"))
        #expect(ReadinessRules.evaluate(unknown, polls: 5, unknownGrace: 5) == .failed("Ready stayed Unknown: reconciling"))
        #expect(ReadinessRules.evaluate(try object(#"{"kind":"ConfigMap"}"#)) == .ready)
    }
}
