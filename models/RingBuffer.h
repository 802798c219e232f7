#pragma once

#include <QtGlobal>
#include <algorithm>
#include <vector>

namespace switchboard {

// A bounded FIFO: pushing onto a buffer holding `capacity` elements drops the oldest. Storage
// is either allocated once up front, or starts small and doubles up to `capacity` (a series
// sampled every 15 s never needs the room of one sampled every second); either way it stops
// growing at `capacity`, so a long-running console does not churn memory per sample.
// Not thread-safe: its owner locks.
template <typename T> class RingBuffer {
public:
    explicit RingBuffer(qsizetype capacity)
        : RingBuffer(capacity, capacity) {}
    // Starts with room for `initialAllocation` elements and grows up to `capacity`.
    RingBuffer(qsizetype capacity, qsizetype initialAllocation)
        : m_capacity(qMax<qsizetype>(capacity, 1))
        , m_data(
              static_cast<std::size_t>(std::clamp<qsizetype>(initialAllocation, 1, m_capacity))) {}

    qsizetype capacity() const { return m_capacity; }
    // Elements the storage has room for now (at most capacity()); what memory accounting counts.
    qsizetype allocated() const { return static_cast<qsizetype>(m_data.size()); }
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }

    // index 0 is the oldest element
    const T& at(qsizetype index) const { return m_data[slot(index)]; }
    const T& front() const { return at(0); }
    const T& back() const { return at(m_size - 1); }

    // Calls f(element) for the elements at indexes [first, last), oldest first: two plain
    // loops over the storage instead of a modulo per element, for scans that must be cheap.
    template <typename F> void forEach(qsizetype first, qsizetype last, F&& f) const {
        first = qMax<qsizetype>(first, 0);
        last = qMin(last, m_size);
        if (first >= last)
            return;
        const qsizetype start = m_head + first;
        const qsizetype stop = m_head + last;
        const qsizetype end1 = qMin(stop, allocated());
        for (qsizetype i = start; i < end1; ++i)
            f(m_data[static_cast<std::size_t>(i)]);
        for (qsizetype i = qMax(start, allocated()); i < stop; ++i)
            f(m_data[static_cast<std::size_t>(i - allocated())]);
    }

    void push_back(const T& value) {
        if (m_size == allocated() && allocated() < m_capacity)
            grow();
        if (m_size == allocated()) {
            m_data[static_cast<std::size_t>(m_head)] = value;
            m_head = (m_head + 1) % allocated();
            return;
        }
        m_data[slot(m_size)] = value;
        ++m_size;
    }

    void pop_front() {
        if (m_size == 0)
            return;
        m_head = (m_head + 1) % allocated();
        --m_size;
    }

    // Drops the newest element: how a store rewrites the tail of a series (a reloaded range).
    void pop_back() {
        if (m_size > 0)
            --m_size;
    }

    void clear() {
        m_head = 0;
        m_size = 0;
    }

private:
    std::size_t slot(qsizetype index) const {
        return static_cast<std::size_t>((m_head + index) % allocated());
    }

    // Doubles the storage (at most to capacity), oldest element first again.
    void grow() {
        std::vector<T> bigger(static_cast<std::size_t>(qMin(allocated() * 2, m_capacity)));
        std::size_t out = 0;
        forEach(0, m_size, [&](const T& value) { bigger[out++] = value; });
        m_data.swap(bigger);
        m_head = 0;
    }

    qsizetype m_capacity;
    std::vector<T> m_data;
    qsizetype m_head = 0;
    qsizetype m_size = 0;
};

} // namespace switchboard
