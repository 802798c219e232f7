#include "ParserThread.h"

namespace switchboard {

namespace {

class ParserPool : public QThreadPool {
public:
    ParserPool() { setMaxThreadCount(1); }
};
Q_GLOBAL_STATIC(ParserPool, parserPool)

} // namespace

QThreadPool* parserThread() {
    return parserPool();
}

} // namespace switchboard
