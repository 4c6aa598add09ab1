// The fixture the importer's tests share: a fresh SQLite store in a folder of its own per test
// (named after the test and the process, so parallel runs never meet), removed afterwards, and
// import options without progress bars.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "import/import.h"
#include "store/store.h"
#include "tests/support/postgres_server.h"

namespace fanzha::import {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("fanzha_" + std::string(test->test_suite_name()) + "_" + std::to_string(getpid()) +
            "_" + test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(store::Store::Open(test_support::StoreLocation((dir_ / "t.db").string())))
                 .value();
    options_.progress = false;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Writes `bytes` as they are to `name` in the test's folder; its path.
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  Outcome Run(const std::vector<std::string>& paths) {
    return ImportFiles(*store_, paths, options_);
  }
  // A stored transfer; a failed expectation (and an empty transfer) when there is none.
  Transfer Get(const std::string& id) {
    auto t = store_->GetTransfer(id);
    EXPECT_TRUE(t.ok() && t->has_value()) << id;
    return t.ok() && t->has_value() ? **t : Transfer{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  Options options_;
};

}  // namespace fanzha::import
