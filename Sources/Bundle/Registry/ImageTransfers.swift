/// Runs one transfer per image, at most `concurrency` at once; a failed image does not stop the others (pull and push
/// both report every image that failed, announced as `imageFailed`, and the ones that went through, by reference).
enum ImageTransfers {
    static func run<Item: Sendable, Done: Sendable>(
        _ items: [Item], concurrency: Int, name: @escaping @Sendable (Item) -> String, reference: @escaping (Done) -> String,
        events: @escaping @Sendable (TransferEvent) -> Void, _ work: @escaping @Sendable (Item) async throws -> Done
    ) async throws -> (done: [Done], failures: [(image: String, error: Error)]) {
        try await withThrowingTaskGroup(of: (String, Result<Done, Error>).self) { group in
            var done: [Done] = []
            var failures: [(image: String, error: Error)] = []
            var pending = items[...]
            func next() {
                guard let item = pending.popFirst() else { return }
                group.addTask {
                    do { return (name(item), .success(try await work(item))) } catch let error as CancellationError {
                        throw error
                    } catch {
                        return (name(item), .failure(error))
                    }
                }
            }
            for _ in 0..<max(1, concurrency) { next() }
            while let (image, result) = try await group.next() {
                switch result {
                case .success(let finished): done.append(finished)
                case .failure(let error):
                    events(TransferEvent(.imageFailed, image: image, error: "\(error)"))
                    failures.append((image, error))
                }
                next()
            }
            done.sort { reference($0) < reference($1) }
            return (done, failures)
        }
    }
}
