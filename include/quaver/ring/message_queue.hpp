#pragma once
// MessageQueue<Msgs...>: typed control messages from any thread to the audio
// thread, with no allocation after construction. Each message is one of the
// listed types, carried by value in a std::variant inside an MpmcQueue.
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>

#include "quaver/ring/mpmc_queue.hpp"

namespace quaver {

/// A bounded queue of control messages, each one of `Msgs...`, sent from any
/// number of threads and drained by one thread (the audio thread) in FIFO
/// order (messages from one sender keep their order).
///
/// Every message type must be nothrow move-constructible and nothrow
/// destructible, and should own no heap memory (a std::string in a message
/// would allocate when sent and free on the audio thread).
template <class... Msgs>
class MessageQueue {
    static_assert(sizeof...(Msgs) > 0, "MessageQueue needs at least one message type");

public:
    using message_type = std::variant<Msgs...>;

    /// A queue holding at least `capacity` messages (rounded up to a power of two).
    /// Real-time: no (allocates).
    /// Throws: std::invalid_argument when capacity is 0; std::length_error above 2^30.
    explicit MessageQueue(std::size_t capacity) : queue_(capacity) {}

    /// Sends `msg` (moved or copied in); false, and nothing sent, when the queue is full.
    /// Real-time: lock-free, no allocation.
    /// Preconditions: std::decay_t<M> is exactly one of Msgs.
    template <class M>
        requires(std::is_same_v<std::remove_cvref_t<M>, Msgs> || ...)
    bool try_send(M&& msg) noexcept(std::is_nothrow_constructible_v<std::remove_cvref_t<M>, M&&>) {
        return queue_.try_emplace(std::in_place_type<std::remove_cvref_t<M>>, std::forward<M>(msg));
    }

    /// Calls `visit(const Msg&)` for each pending message, oldest first, at most
    /// `max_messages` of them; returns how many were handled. Messages sent
    /// while draining may or may not be included.
    /// Real-time: wait-free, no allocation.
    /// (Bounded work per message when one thread drains; as long as `visit`
    /// does not allocate.)
    /// Preconditions: `visit` accepts every one of Msgs as a const reference.
    template <class Visitor>
    std::size_t drain(Visitor&& visit, std::size_t max_messages = SIZE_MAX) {
        std::size_t handled = 0;
        while (handled < max_messages &&
               queue_.try_consume([&](const message_type& msg) { std::visit([&](const auto& m) { visit(m); }, msg); })) {
            ++handled;
        }
        return handled;
    }

    /// Messages waiting (approximate while others send or drain).
    /// Real-time: wait-free, no allocation.
    std::size_t size() const noexcept { return queue_.size(); }

    /// Messages the queue holds when full.
    /// Real-time: wait-free, no allocation.
    std::size_t capacity() const noexcept { return queue_.capacity(); }

private:
    MpmcQueue<message_type> queue_;
};

}  // namespace quaver
