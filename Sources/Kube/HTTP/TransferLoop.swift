import CCurl
import Foundation

/// The one thread that drives an HTTPClient's transfers: it owns a libcurl multi handle, so connections are shared
/// (and HTTP/2 streams multiplexed over one) by every request of the client. Other threads only queue work for it
/// (start, cancel, resume a paused transfer) and wake it; every libcurl call on a submitted handle happens here.
final class TransferLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer?
    private let lock = NSLock()
    private var starting: [Transfer] = []
    private var cancelling: [Transfer] = []
    private var resuming: [Transfer] = []
    private var stopping = false
    private var opened = 0
    // The loop thread's own state.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    /// Quiet polls left in which to nudge the running transfers (see `nudge`).
    private var nudges = 0

    /// Connections opened so far (each reused or multiplexed request opens none).
    var connectionsOpened: Int { lock.withLock { opened } }

    init() {
        multi = kiln_curl_multi_init()
        kiln_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        let thread = Thread { [self] in run() }
        thread.name = "kiln-http"
        thread.start()
    }

    /// Ends the thread once no transfer runs (the client is going away; a stream it returned may still be read).
    func stop() {
        lock.withLock { stopping = true }
        kiln_curl_multi_wakeup(multi)
    }

    func start(_ transfer: Transfer) { enqueue { starting.append(transfer) } }

    /// Aborts `transfer` (closing its connection, or resetting its HTTP/2 stream); its sink finishes with
    /// CancellationError. Safe from any thread, before or after the transfer started or ended.
    func cancel(_ transfer: Transfer) {
        transfer.cancelled = true
        enqueue { cancelling.append(transfer) }
    }

    /// Unpauses a transfer whose sink has room again.
    func resume(_ transfer: Transfer) { enqueue { resuming.append(transfer) } }

    private func enqueue(_ change: () -> Void) {
        lock.withLock(change)
        kiln_curl_multi_wakeup(multi)
    }

    private func run() {
        // Without libcurl nothing can start (each transfer's setup fails, saying why); the thread has nothing to do.
        guard multi != nil else { return }
        while true {
            let (start, cancel, resume, stop) = lock.withLock {
                defer { starting = []; cancelling = []; resuming = [] }
                return (starting, cancelling, resuming, stopping)
            }
            for transfer in start {
                if transfer.cancelled {
                    transfer.sink.finish(CancellationError())
                } else {
                    active[transfer.handle] = transfer
                    kiln_curl_multi_add_handle(multi, transfer.handle)
                }
            }
            for transfer in cancel where active[transfer.handle] === transfer { end(transfer, CancellationError()) }
            for transfer in resume where active[transfer.handle] === transfer && transfer.paused {
                transfer.paused = false
                kiln_curl_easy_pause(transfer.handle, CURLPAUSE_CONT)
            }
            if stop, active.isEmpty {
                kiln_curl_multi_cleanup(multi)
                return
            }
            var running: Int32 = 0
            kiln_curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = kiln_curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                      let transfer = active[handle] else { continue }
                end(transfer, transfer.failure(kiln_message_result(message)))
            }
            // Sleeps until a socket is ready, libcurl's next timeout, or a wakeup from another thread.
            var ready: Int32 = 0
            kiln_curl_multi_poll(multi, nil, 0, 500, &ready)
            if ready == 0, nudges > 0, !active.isEmpty {
                nudges -= 1
                nudge()
            }
        }
    }

    /// libcurl 7.88 can leave HTTP/2 frames it already read off the socket for one multiplexed stream unprocessed
    /// after another stream on the connection ends, and the transfer then stalls until its timeout. Pausing and
    /// resuming a transfer makes libcurl re-check its connection for buffered data, so in the quiet half seconds (a few,
    /// bounded) after a transfer ended beside others, each one not paused by its sink is toggled. Nothing is lost: a
    /// pause only defers delivery. An idle watch alone is left alone.
    private func nudge() {
        for transfer in active.values where !transfer.paused {
            kiln_curl_easy_pause(transfer.handle, CURLPAUSE_ALL)
            kiln_curl_easy_pause(transfer.handle, CURLPAUSE_CONT)
        }
    }

    private func end(_ transfer: Transfer, _ error: Error?) {
        active[transfer.handle] = nil
        kiln_curl_multi_remove_handle(multi, transfer.handle)
        if !active.isEmpty { nudges = 6 }
        var connects = 0
        kiln_getinfo_long(transfer.handle, CURLINFO_NUM_CONNECTS, &connects)
        lock.withLock { opened += connects }
        transfer.release()
        transfer.sink.finish(error)
    }
}
