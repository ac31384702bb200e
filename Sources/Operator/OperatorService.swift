import Logging
import ServiceLifecycle

/// The operator and its health server as swift-service-lifecycle services: SIGTERM and SIGINT start a graceful
/// shutdown, the operator first (it finishes its step and releases the Lease), then the health server.
public enum OperatorService {
    struct Controller: Service {
        let kiln: KilnOperator
        func run() async throws {
            try await withGracefulShutdownHandler {
                try await kiln.run()
            } onGracefulShutdown: {
                Task { await kiln.stop() }
            }
        }
    }

    struct Health: Service {
        let server: HealthServer
        func run() async throws {
            try await withGracefulShutdownHandler {
                try await server.run()
            } onGracefulShutdown: {
                Task { await server.stop() }
            }
        }
    }

    /// Runs both until a signal (or the operator ends, e.g. a lost Lease, which then ends the health server too).
    public static func run(_ kiln: KilnOperator, health: HealthServer?, logger: Logger) async throws {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let health {
            services.append(.init(service: Health(server: health), successTerminationBehavior: .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        // Last in the list: shut down first.
        services.append(.init(service: Controller(kiln: kiln), successTerminationBehavior: .gracefullyShutdownGroup,
                              failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
