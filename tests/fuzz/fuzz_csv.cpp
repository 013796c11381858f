// libFuzzer target: read_csv's parser on arbitrary text. The first byte picks the options (header
// or not, delimiter, target column), the rest is the file. Any outcome but a Dataset or an
// io_error is a finding.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <kestrel/io/csv.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t choice = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    constexpr char delimiters[] = {',', ';', '\t', ' '};
    constexpr std::optional<kestrel::Index> targets[] = {-1, 0, 2, std::nullopt};
    const kestrel::io::CsvOptions options{.target_column = targets[(choice >> 2) & 3],
                                          .header = (choice & 1) != 0,
                                          .delimiter = delimiters[(choice >> 4) & 3]};
    try {
        if (choice & 2) {
            (void)kestrel::io::detail::parse_csv<double, kestrel::Vector<double>>(text, options, "fuzz.csv");
        } else {
            (void)kestrel::io::detail::parse_csv<float, kestrel::Labels>(text, options, "fuzz.csv");
        }
    } catch (const kestrel::io_error&) {
    }
    return 0;
}
