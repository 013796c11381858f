// libFuzzer target: read_libsvm's parser on arbitrary text, then densifying when the matrix is
// small (a 12-byte line can ask for 2^31 columns: allocating that is the library's documented
// io_error or bad_alloc, not a parsing fault, and would only trip the fuzzer's memory limit).
// The first byte picks the options, the rest is the file. Any outcome but a Dataset or an
// io_error is a finding.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <kestrel/io/libsvm.hpp>

namespace {

template <class T, class Target>
void parse(std::string_view text, const kestrel::io::LibsvmOptions& options) {
    const auto rows = kestrel::io::detail::parse_libsvm<T, typename Target::Scalar>(text, options, "fuzz.libsvm");
    const auto cells = static_cast<double>(rows.targets.size()) * static_cast<double>(rows.n_features);
    if (cells <= double(1 << 22)) (void)kestrel::io::detail::densify<T, Target>(rows, "fuzz.libsvm");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t choice = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const kestrel::io::LibsvmOptions options{.n_features = (choice & 1) ? std::optional<kestrel::Index>(choice >> 1)
                                                                        : std::nullopt};
    try {
        if (choice & 0x80) {
            parse<float, kestrel::Labels>(text, options);
        } else {
            parse<double, kestrel::Vector<double>>(text, options);
        }
    } catch (const kestrel::io_error&) {
    }
    return 0;
}
