// libFuzzer target: load_npy's parser on arbitrary bytes, reading the whole array and reading a
// range of its rows. Any outcome but a Matrix or an io_error (a crash, a sanitizer report, another
// exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <kestrel/io/npy.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        std::istringstream in(bytes);
        (void)kestrel::io::detail::read_npy<double>(in, "fuzz.npy");
    } catch (const kestrel::io_error&) {
    }
    try {
        std::istringstream in(bytes);
        (void)kestrel::io::detail::read_npy<std::int32_t>(in, "fuzz.npy");
    } catch (const kestrel::io_error&) {
    }
    try {
        std::istringstream in(bytes);
        (void)kestrel::io::detail::read_npy_rows<double>(in, "fuzz.npy", 1, 2);
    } catch (const kestrel::io_error&) {
    }
    return 0;
}
