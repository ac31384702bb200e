@testable import Bundle
import Manifests
import Testing

struct InventoryTests {
    @Test func eksInventoryHasThePlatformAndTheExecutionImages() throws {
        let inventory = try ImageInventory.of(exampleConfig("eks.yaml"))
        let names = inventory.images.map(\.reference.description)
        #expect(inventory.version == "6.1.2")
        #expect(names.contains("quay.io/domino/nucleus:6.1.2"))
        #expect(names.contains("quay.io/domino/executor:6.1.2"))
        #expect(names.contains("quay.io/domino/domino-standard-environment:ubuntu22-py3.10-r4.5-domino6.1-standard"))
        #expect(names.contains("quay.io/domino/fluent.fluent-bit:1.9.4-358991"))
        #expect(names == names.sorted())
        #expect(Set(names).count == names.count)
        let nucleus = try #require(inventory.images.first { $0.reference.repository == "domino/nucleus" })
        #expect(nucleus.releases.contains("nucleus"))
        #expect(nucleus.uses.contains { $0.field.hasPrefix("container ") })
        // The sidecar image is named by the execution list and by its central-config record: both uses are listed.
        let fluentBit = try #require(inventory.images.first { $0.reference.repository == "domino/fluent.fluent-bit" })
        #expect(fluentBit.uses.contains { $0.field == "data model-fluent-bit" })
        #expect(fluentBit.uses.contains { $0.field == "data com.cerebro.domino.modelmanager.fluentBit.image" })
    }

    @Test func inventoryIsDeterministic() throws {
        let a = try ImageInventory.of(exampleConfig("eks.yaml"))
        let b = try ImageInventory.of(exampleConfig("eks.yaml"))
        #expect(ImagesJSON.text(a) == ImagesJSON.text(b))
        #expect(a.images.map(\.uses) == b.images.map(\.uses))
    }

    @Test func anOfflineConfigListsItsUpstreamSources() throws {
        let inventory = try ImageInventory.of(exampleConfig("eks.yaml", sets: ["offline.image_registry=registry.example.com:5000"]))
        let nucleus = try #require(inventory.images.first { $0.reference.repository == "domino/nucleus" })
        #expect(nucleus.reference.registry == "registry.example.com:5000")
        #expect(nucleus.source.description == "quay.io/domino/nucleus:6.1.2")
        #expect(ImagesJSON.text(inventory).contains("\"name\" : \"quay.io/domino/nucleus:6.1.2\""))
    }
}
