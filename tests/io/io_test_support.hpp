#pragma once
// Helpers the io tests share: a scratch directory, writing a file, and checking that a reader
// throws io_error whose message names the expected place.
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include <catch.hpp>
#include <kestrel/core/error.hpp>

namespace kestrel::test {

/// A fresh directory under the system's temporary directory, removed at the end of the scope.
class ScratchDirectory {
public:
    explicit ScratchDirectory(std::string_view name)
        : path_(std::filesystem::temp_directory_path() /
                (std::string("kestrel_") + std::string(name) + "_" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    /// The path of `file` in the directory, after writing `bytes` to it.
    [[nodiscard]] std::string write(const std::string& file, std::string_view bytes) const {
        const std::string path = (path_ / file).string();
        std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return path;
    }
    [[nodiscard]] std::string path(const std::string& file) const { return (path_ / file).string(); }

private:
    std::filesystem::path path_;
};

/// Runs `read` and requires an io_error whose message contains `where`.
template <class Read>
void require_io_error(Read&& read, const std::string& where) {
    try {
        read();
        FAIL("expected io_error containing: " << where);
    } catch (const kestrel::io_error& e) {
        INFO("message: " << e.what());
        CHECK(std::string(e.what()).find(where) != std::string::npos);
    }
}

/// Runs `read` and requires an io_error whose message satisfies `matcher`, e.g.
/// `Contains(path) && Contains("3 rows")`.
template <class Read, class Matcher>
void require_io_error_matching(Read&& read, const Matcher& matcher) {
    try {
        read();
        FAIL("expected io_error");
    } catch (const kestrel::io_error& e) {
        CHECK_THAT(std::string(e.what()), matcher);
    }
}

}  // namespace kestrel::test
