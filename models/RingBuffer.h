#pragma once

#include <QtGlobal>
#include <vector>

namespace switchboard {

// A fixed-capacity FIFO: pushing onto a full buffer drops the oldest element. Storage is
// allocated once, so a long-running console does not churn memory per sample.
template <typename T> class RingBuffer {
public:
    explicit RingBuffer(qsizetype capacity)
        : m_data(static_cast<std::size_t>(qMax<qsizetype>(capacity, 1))) {}

    qsizetype capacity() const { return static_cast<qsizetype>(m_data.size()); }
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }

    // index 0 is the oldest element
    const T& at(qsizetype index) const { return m_data[slot(index)]; }
    const T& front() const { return at(0); }
    const T& back() const { return at(m_size - 1); }

    void push_back(const T& value) {
        if (m_size == capacity()) {
            m_data[static_cast<std::size_t>(m_head)] = value;
            m_head = (m_head + 1) % capacity();
            return;
        }
        m_data[slot(m_size)] = value;
        ++m_size;
    }

    void pop_front() {
        if (m_size == 0)
            return;
        m_head = (m_head + 1) % capacity();
        --m_size;
    }

    void clear() {
        m_head = 0;
        m_size = 0;
    }

private:
    std::size_t slot(qsizetype index) const {
        return static_cast<std::size_t>((m_head + index) % capacity());
    }

    std::vector<T> m_data;
    qsizetype m_head = 0;
    qsizetype m_size = 0;
};

} // namespace switchboard
