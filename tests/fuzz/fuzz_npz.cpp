// libFuzzer target: load_npz's zip and .npy parsers on arbitrary bytes, through the numeric and
// the text readers. Any outcome but the arrays or an io_error (a crash, a sanitizer report,
// another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <kestrel/io/npz.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        std::istringstream in(bytes);
        (void)kestrel::io::detail::read_npz<double>(in, "fuzz.npz");
    } catch (const kestrel::io_error&) {
    }
    try {
        std::istringstream in(bytes);
        (void)kestrel::io::detail::read_npz_strings(in, "fuzz.npz");
    } catch (const kestrel::io_error&) {
    }
    try {
        std::istringstream in(bytes);
        (void)kestrel::io::detail::read_npz_member<std::int32_t>(in, "fuzz.npz", "a");
    } catch (const kestrel::io_error&) {
    }
    return 0;
}
