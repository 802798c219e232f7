// Bearer tokens: the right token gives its name and role, anything else nothing; token files
// that are unreadable, malformed or too weak are refused at start-up with the file named.
#include "switchboard/agent_config.h"
#include "token_store.h"

#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <fstream>

using switchboard::ConfigError;
using switchboard::TokenStore;
using Role = switchboard::protocol::Role;

class TestTokenStore : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    std::string write(const std::string& name, const std::string& text) {
        std::string path = dir_.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream(path) << text;
        std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_write);
        return path;
    }

private slots:
    void authenticatesByRole() {
        TokenStore store({{"ops", Role::Operator, "operator-secret-0123456789"},
                          {"view", Role::Viewer, "viewer-secret-0123456789"}});
        auto caller = store.authenticate("Bearer viewer-secret-0123456789");
        QVERIFY(caller);
        QCOMPARE(caller->name, std::string("view"));
        QCOMPARE(caller->role, Role::Viewer);
        QCOMPARE(store.authenticate("Bearer operator-secret-0123456789")->role, Role::Operator);
    }

    void refusesEverythingElse_data() {
        QTest::addColumn<QString>("header");
        QTest::newRow("empty") << "";
        QTest::newRow("no scheme") << "viewer-secret-0123456789";
        QTest::newRow("basic scheme") << "Basic viewer-secret-0123456789";
        QTest::newRow("wrong token") << "Bearer viewer-secret-0123456788";
        QTest::newRow("prefix of token") << "Bearer viewer-secret";
        QTest::newRow("token plus more") << "Bearer viewer-secret-0123456789x";
        QTest::newRow("bearer only") << "Bearer ";
    }
    void refusesEverythingElse() {
        QFETCH(QString, header);
        TokenStore store({{"view", Role::Viewer, "viewer-secret-0123456789"}});
        QVERIFY(!store.authenticate(header.toStdString()));
    }

    void readsTokenFiles() {
        auto path = write("ok.json",
                          R"({"name": "alice", "role": "operator", "token": "0123456789abcdef0"})");
        TokenStore store(std::vector<std::string>{path});
        QCOMPARE(store.authenticate("Bearer 0123456789abcdef0")->name, std::string("alice"));
    }

    void refusesBadTokenFiles_data() {
        QTest::addColumn<QString>("content");
        QTest::newRow("not json") << "token=abc";
        QTest::newRow("missing role") << R"({"name": "a", "token": "0123456789abcdef0"})";
        QTest::newRow("unknown role")
            << R"({"name": "a", "role": "root", "token": "0123456789abcdef0"})";
        QTest::newRow("short token") << R"({"name": "a", "role": "viewer", "token": "abc"})";
        QTest::newRow("token not string") << R"({"name": "a", "role": "viewer", "token": 5})";
    }
    void refusesBadTokenFiles() {
        QFETCH(QString, content);
        auto path = write("bad.json", content.toStdString());
        try {
            TokenStore store(std::vector<std::string>{path});
            QFAIL("accepted a bad token file");
        } catch (const ConfigError& error) {
            QCOMPARE(QString::fromStdString(error.key()), QString("token_files"));
            QVERIFY(QString(error.what()).contains("bad.json"));
        }
    }

    void refusesATokenFileOthersCanRead() {
        auto path = write("shared.json",
                          R"({"name": "alice", "role": "operator", "token": "0123456789abcdef0"})");
        std::filesystem::permissions(path, std::filesystem::perms::others_read,
                                     std::filesystem::perm_options::add);
        try {
            TokenStore store(std::vector<std::string>{path});
            QFAIL("accepted a token file others can read");
        } catch (const ConfigError& error) {
            QCOMPARE(QString::fromStdString(error.key()), QString("token_files"));
            QVERIFY2(QString(error.what()).contains("mode 0604") &&
                         QString(error.what()).contains("chmod 600"),
                     error.what());
        }
        std::filesystem::permissions(path, std::filesystem::perms::group_read,
                                     std::filesystem::perm_options::replace);
        std::filesystem::permissions(path, std::filesystem::perms::owner_read,
                                     std::filesystem::perm_options::add);
        QVERIFY_THROWS_EXCEPTION(ConfigError, TokenStore(std::vector<std::string>{path}));
    }

    void refusesMissingTokenFile() {
        QVERIFY_THROWS_EXCEPTION(ConfigError,
                                 TokenStore(std::vector<std::string>{"/nonexistent/t.json"}));
    }
};

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_token_store.moc"
