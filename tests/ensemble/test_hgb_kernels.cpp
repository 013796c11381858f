// HistGradientBoosting's kernels against their plain twins. The scans for a feature's best
// threshold, left to right and right to left (two registers of bins at a time), against the
// one-bin-at-a-time scans: gain, bin and left sums equal, over histograms with empty bins and tied gains, every
// stopping rule (min_samples_leaf, min_hessian), monotonic constraints and bounds, constant hessians, and bin counts
// around whole registers.
//
// The sides of a node's samples at a split (HistGradientBoosting's partition), sixteen samples a
// register on AVX-512 and one at a time elsewhere, against a plain reading of the rule: samples
// listed or consecutive, at several densities and counts around whole registers, samples within
// three bytes of the column's end (where the gathers stop), and splits by a threshold, with the
// missing bin, by a set of categories, all left and none left. Each side is also checked to write
// nothing past its m slots, and the root's count and placement of consecutive samples to write no
// slot but its own; a column that ends at an unreadable page, to be read no further.
//
// Float data's bins by two comparisons of sixteen thresholds (AVX-512) and by their plain twin,
// against the binary search in double, at and around every threshold; and a regressor fitted on
// float data against the same values in double, missing values and a categorical feature among
// them.
//
// Built twice, portable and with -march=native, so that the registers' steps are held to the same
// results as the scalar ones.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#if defined(__unix__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "catch.hpp"

#include <kestrel/core/random.hpp>
#include <kestrel/ensemble/detail/hgb_binning.hpp>
#include <kestrel/ensemble/detail/hgb_scan.hpp>
#include <kestrel/ensemble/detail/sides.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>

using namespace kestrel;
namespace hgb = kestrel::ensemble::detail::hgb;

namespace {

constexpr std::uint32_t untouched = 0xDEADBEEFu;
constexpr Index margin = 16;  // sentinel slots past what a kernel may write

struct sides {
    std::vector<std::uint32_t> left, right;
};

// The rule itself: each sample in order, to the side its bin names.
sides expected(const std::vector<std::uint32_t>& samples, const std::vector<std::uint8_t>& col,
               const hgb::left_bins& left) {
    sides out;
    for (std::uint32_t s : samples) (left.byte[col[s]] != 0 ? out.left : out.right).push_back(s);
    return out;
}

// Runs split_samples (portable: its scalar twin) on `samples` (listed, or consecutive from
// samples[0] when `consecutive`), and checks both sides and that nothing past their m slots was
// written.
void check(bool portable, const std::vector<std::uint32_t>& samples, bool consecutive,
           const std::vector<std::uint8_t>& col, const hgb::left_bins& left) {
    const auto m = static_cast<Index>(samples.size());
    const sides want = expected(samples, col, left);
    std::vector<std::uint32_t> lefts(static_cast<std::size_t>(m + margin), untouched);
    std::vector<std::uint32_t> rights(lefts.size(), untouched);
    const std::uint32_t* idx = consecutive ? nullptr : samples.data();
    const Index first = consecutive && m > 0 ? samples[0] : 0;
    const Index went_left =
        portable ? hgb::scalar::split_samples(idx, first, m, col.data(), left, lefts.data(), rights.data())
                 : hgb::split_samples(idx, first, m, col.data(), static_cast<Index>(col.size()), left, lefts.data(),
                                      rights.data());
    REQUIRE(went_left == static_cast<Index>(want.left.size()));
    const Index went_right = m - went_left;
    for (Index i = 0; i < went_left; ++i) {
        REQUIRE(lefts[static_cast<std::size_t>(i)] == want.left[static_cast<std::size_t>(i)]);
    }
    for (Index i = 0; i < went_right; ++i) {
        REQUIRE(rights[static_cast<std::size_t>(i)] == want.right[static_cast<std::size_t>(i)]);
    }
    for (auto i = static_cast<std::size_t>(m); i < lefts.size(); ++i) REQUIRE(lefts[i] == untouched);
    for (auto i = static_cast<std::size_t>(m); i < rights.size(); ++i) REQUIRE(rights[i] == untouched);
}

void check_both(const std::vector<std::uint32_t>& samples, bool consecutive, const std::vector<std::uint8_t>& col,
                const hgb::left_bins& left) {
    INFO((consecutive ? "consecutive" : "listed") << " samples: " << samples.size() << " of " << col.size());
    check(false, samples, consecutive, col, left);
    check(true, samples, consecutive, col, left);
}

// count_left and place_consecutive (the root's split: consecutive samples, each side written
// exactly where it belongs) on `samples` (consecutive): the count, both sides, and every other
// slot of the array untouched, the gap between the sides included.
void check_placed(const std::vector<std::uint32_t>& samples, const std::vector<std::uint8_t>& col,
                  const hgb::left_bins& left) {
    const auto m = static_cast<Index>(samples.size());
    const Index first = m > 0 ? samples[0] : 0;
    INFO("consecutive samples placed: " << m << " from " << first);
    const sides want = expected(samples, col, left);
    const auto nl = static_cast<Index>(want.left.size()), nr = m - nl;
    REQUIRE(hgb::count_left(first, m, col.data(), left) == nl);
    REQUIRE(hgb::scalar::count_left(first, m, col.data(), left) == nl);
    constexpr Index at_left = 5, gap = 7;
    const Index at_right = at_left + nl + gap;
    for (bool portable : {false, true}) {
        std::vector<std::uint32_t> out(static_cast<std::size_t>(at_right + nr + margin), untouched);
        if (portable) {
            hgb::scalar::place_consecutive(first, m, col.data(), left, out.data(), at_left, at_right);
        } else {
            hgb::place_consecutive(first, m, col.data(), left, nl, out.data(), at_left, at_right);
        }
        for (Index i = 0; i < static_cast<Index>(out.size()); ++i) {
            const auto at = static_cast<std::size_t>(i);
            if (i >= at_left && i < at_left + nl) {
                REQUIRE(out[at] == want.left[static_cast<std::size_t>(i - at_left)]);
            } else if (i >= at_right && i < at_right + nr) {
                REQUIRE(out[at] == want.right[static_cast<std::size_t>(i - at_right)]);
            } else {
                REQUIRE(out[at] == untouched);
            }
        }
    }
}

}  // namespace

TEST_CASE("split_samples sends each sample to the side of its bin, in order, on every path", "[hgb][kernels]") {
    random_engine rng(2024);
    constexpr Index n = 5000;
    std::vector<std::uint8_t> col(static_cast<std::size_t>(n));
    for (auto& b : col) b = static_cast<std::uint8_t>(rng.below(256));

    std::vector<std::pair<std::string, hgb::left_bins>> splits;
    for (int threshold : {0, 77, 254}) {
        for (bool missing_left : {false, true}) {
            hgb::left_bins left;
            for (int b = 0; b <= threshold; ++b) left.set(static_cast<unsigned>(b));
            if (missing_left) left.set(255);
            splits.emplace_back("bins to " + std::to_string(threshold) + (missing_left ? " and missing" : ""), left);
        }
    }
    hgb::left_bins categories;
    for (unsigned b = 0; b < 256; ++b) {
        if (rng.below(3) == 0) categories.set(b);
    }
    splits.emplace_back("a set of categories", categories);
    hgb::left_bins all;
    for (unsigned b = 0; b < 256; ++b) all.set(b);
    splits.emplace_back("all left", all);
    splits.emplace_back("none left", hgb::left_bins{});

    for (const auto& [name, left] : splits) {
        INFO("split: " << name);
        for (const Index m : std::vector<Index>{0, 1, 15, 16, 17, 31, 33, 100, 1000, n}) {
            // Consecutive from the start, and ending at the column's last sample.
            std::vector<std::uint32_t> head, tail;
            for (Index i = 0; i < m; ++i) head.push_back(static_cast<std::uint32_t>(i));
            for (Index i = n - m; i < n; ++i) tail.push_back(static_cast<std::uint32_t>(i));
            check_both(head, true, col, left);
            check_both(tail, true, col, left);
            check_placed(head, col, left);
            check_placed(tail, col, left);
            check_both(tail, false, col, left);
        }
        for (double density : {0.02, 0.3, 0.9}) {
            std::vector<std::uint32_t> listed;
            for (Index s = 0; s < n; ++s) {
                if (rng.uniform() < density) listed.push_back(static_cast<std::uint32_t>(s));
            }
            check_both(listed, false, col, left);
            // The last three samples of the column in the third register, which the plain steps
            // finish (that the gather reads nothing past the column, the unreadable-page test
            // below checks).
            REQUIRE(listed.size() >= 45);
            std::vector<std::uint32_t> near_end(listed.begin(), listed.begin() + 45);
            for (Index s = n - 3; s < n; ++s) near_end.push_back(static_cast<std::uint32_t>(s));
            check_both(near_end, false, col, left);
        }
    }
}

#if defined(__unix__)
TEST_CASE("split_samples reads no byte past a column that ends at an unreadable page", "[hgb][kernels]") {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    void* map = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(map != MAP_FAILED);
    auto* bytes = static_cast<std::uint8_t*>(map);
    REQUIRE(mprotect(bytes + page, page, PROT_NONE) == 0);
    constexpr Index n = 1000;
    std::uint8_t* column = bytes + page - n;  // its last byte is the page's last
    random_engine rng(5);
    for (Index s = 0; s < n; ++s) column[s] = static_cast<std::uint8_t>(rng.below(256));
    const std::vector<std::uint8_t> col(column, column + n);
    hgb::left_bins left;
    for (unsigned b = 0; b < 128; ++b) left.set(b);
    // Four whole registers of samples ending at the column's last; at the last whose four bytes
    // from it are all the column's (every register gathered); one further (the last register
    // left to the plain steps); listed and consecutive.
    for (Index last : {n - 1, n - 4, n - 3}) {
        std::vector<std::uint32_t> samples;
        for (Index s = last - 63; s <= last; ++s) samples.push_back(static_cast<std::uint32_t>(s));
        const sides want = expected(samples, col, left);
        for (bool listed : {true, false}) {
            std::vector<std::uint32_t> lefts(samples.size()), rights(samples.size());
            const Index went_left = hgb::split_samples(listed ? samples.data() : nullptr, last - 63, 64, column, n,
                                                       left, lefts.data(), rights.data());
            REQUIRE(went_left == static_cast<Index>(want.left.size()));
            lefts.resize(want.left.size());
            rights.resize(want.right.size());
            CHECK(lefts == want.left);
            CHECK(rights == want.right);
        }
    }
    munmap(map, 2 * page);
}
#endif

namespace {

// Both scans of `hist` against their twins: gain bits, bin and left sums equal. Returns whether
// each found a threshold.
std::pair<bool, bool> check_scans(const std::vector<hgb::hist_bin>& hist, const hgb::scan_setup& s) {
    const auto end = static_cast<int>(hist.size());
    const hgb::scan_result want = hgb::scalar::scan_left_to_right(hist.data(), end, s);
    const hgb::scan_result got = hgb::scan_left_to_right(hist.data(), end, s);
    REQUIRE(got.bin == want.bin);
    REQUIRE(got.gain == want.gain);
    REQUIRE(got.gl == want.gl);
    REQUIRE(got.hl == want.hl);
    REQUIRE(got.nl == want.nl);
    // Right to left from bin end − 2 (right sides hold bins b + 1 … end − 1), to beat no gain,
    // the left-to-right scan's, or half of it.
    bool found_back = false;
    for (double beat : {-1.0, want.gain, want.gain / 2}) {
        INFO("right to left from bin " << end - 2 << ", to beat " << beat);
        const hgb::scan_result want_back = hgb::scalar::scan_right_to_left(hist.data(), end - 2, s, beat);
        const hgb::scan_result got_back = hgb::scan_right_to_left(hist.data(), end - 2, s, beat);
        REQUIRE(got_back.bin == want_back.bin);
        REQUIRE(got_back.gain == want_back.gain);
        REQUIRE(got_back.gl == want_back.gl);
        REQUIRE(got_back.hl == want_back.hl);
        REQUIRE(got_back.nl == want_back.nl);
        found_back = found_back || want_back.bin >= 0;
    }
    return {want.bin >= 0, found_back};
}

}  // namespace

TEST_CASE("the scans for a feature's best threshold equal their one-bin-at-a-time twins", "[hgb][kernels]") {
    random_engine rng(77);
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<int> ends{0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 33, 100, 255, 256};
    int found = 0, found_back = 0, cases = 0;
    for (int trial = 0; trial < 600; ++trial) {
        // Each setting drawn on its own, so that every combination occurs.
        const int end = ends[static_cast<std::size_t>(rng.below(ends.size()))];
        const bool constant = rng.below(5) == 0, integer_gradients = rng.below(4) == 0;
        std::vector<hgb::hist_bin> hist(static_cast<std::size_t>(end));
        hgb::scan_setup s;
        for (auto& b : hist) {
            // Some empty bins (their gain repeats the previous bin's); integer gradients and
            // counts give more ties.
            const double c = rng.below(4) == 0 ? 0.0 : static_cast<double>(1 + rng.below(60));
            b.count = c;
            b.h = constant ? 0.0 : c * rng.uniform(0.05, 0.25);
            b.g = c == 0 ? 0.0 : rng.uniform(-20.0, 20.0) + 0.05 * c;
            if (integer_gradients) b.g = std::round(b.g / 4);
            s.sum_g += b.g;
            s.sum_h += constant ? b.count : b.h;
            s.count += static_cast<std::uint32_t>(c);
        }
        s.loss_node = (-s.sum_g / (s.sum_h + 1.0)) * s.sum_g;
        s.l2 = rng.below(3) == 0 ? 0.0 : 1.0;
        s.min_samples_leaf = static_cast<std::uint32_t>(std::vector<int>{1, 20, 200}[rng.below(3)]);
        s.min_hessian = rng.below(4) == 0 ? 5.0 : 1e-3;
        s.monotonic = static_cast<int>(rng.below(3)) - 1;
        const bool bounded = rng.below(4) == 0;
        s.lower = bounded ? -0.2 : -inf;
        s.upper = bounded ? 0.2 : inf;
        s.constant_hessian = constant;
        INFO("trial " << trial << ", " << end << " bins");
        const auto [left_to_right, right_to_left] = check_scans(hist, s);
        found += left_to_right ? 1 : 0;
        found_back += right_to_left ? 1 : 0;
        cases += end > 1 ? 1 : 0;
    }
    // Both outcomes occur: thresholds found, and scans where no bin may split.
    CHECK(found > cases / 4);
    CHECK(found < cases);
    CHECK(found_back > cases / 4);
}

TEST_CASE("the scans end where their twins break, though later bins would pass again", "[hgb][kernels]") {
    // A larger child's histogram is its parent's minus its sibling's: a bin's hessian may be
    // slightly negative. Here one bin's is −3: past it the right side's hessian is back above
    // min_hessian, and its gain is the largest, but the plain scan has ended before it. The
    // pattern starts `shift` bins in, so that the end falls in every lane of both registers of
    // a step.
    for (int shift = 0; shift < 40; ++shift) {
        INFO("pattern from bin " << shift);
        std::vector<hgb::hist_bin> hist;
        for (int b = 0; b < shift; ++b) hist.push_back({0.1, 1.0, 10.0, 0.0});
        for (int b = 0; b < 20; ++b) {
            const double g = b < 12 ? 1.0 : (b == 15 ? -120.0 : (b > 15 ? 30.0 : 0.0));
            hist.push_back({g, b == 15 ? -3.0 : 1.0, 10.0, 0.0});
        }
        hgb::scan_setup s;
        for (const auto& b : hist) {
            s.sum_g += b.g;
            s.sum_h += b.h;
            s.count += static_cast<std::uint32_t>(b.count);
        }
        s.loss_node = (-s.sum_g / (s.sum_h + 1.0)) * s.sum_g;
        s.min_samples_leaf = 1;
        s.min_hessian = 4;
        const hgb::scan_result plain = hgb::scalar::scan_left_to_right(hist.data(), static_cast<int>(hist.size()), s);
        REQUIRE(plain.bin >= 0);
        REQUIRE(plain.bin < shift + 12);  // ended before bin shift + 15, which would pass again
        check_scans(hist, s);
    }
}

TEST_CASE("float data's bins by blocks of sixteen thresholds equal the binary search in double", "[hgb][kernels]") {
    // Sorted thresholds as a bin mapper's may be (midpoints in double, which float data rarely
    // equals; some floats exactly; ties; some beyond the float range, tiny or zero), then the
    // floats at, just below and just above each threshold's float rounding, and far outside: 0 to
    // 255 thresholds, so that the padding's +∞ fills every block, all but the first, part of
    // one, or only the last slot; the largest of 255 clipped to 1e300.
    random_engine rng(11);
    for (int count : {0, 1, 15, 16, 17, 100, 239, 240, 241, 254, 255}) {
        INFO(count << " thresholds");
        std::vector<double> t{-1e300, -3.5e38, -1e30, -1e-40, -1e-45, -0.0, 1e-45, 1e-40, 1e30};
        double at = -3.0;
        for (int k = 0; static_cast<int>(t.size()) < count; ++k) {
            at += 0.01 + rng.uniform();
            t.push_back(k % 7 == 3 ? static_cast<double>(static_cast<float>(at)) : at + 1e-9 * rng.uniform());
            if (k % 11 == 5) t.push_back(t.back());  // a tie
        }
        std::sort(t.begin(), t.end());
        t.resize(static_cast<std::size_t>(count));
        if (count == 255) t.back() = hgb::almost_inf;
        const hgb::padded_thresholds search(t);
        const hgb::float_thresholds blocks(t);
        std::vector<float> xs{0.0f,
                              -0.0f,
                              std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(),
                              std::numeric_limits<float>::max(),
                              std::numeric_limits<float>::lowest(),
                              std::numeric_limits<float>::denorm_min(),
                              -1e30f,
                              1e30f};
        for (double v : t) {
            const auto f = static_cast<float>(v);
            for (float x : {f, std::nextafter(f, -1e38f), std::nextafter(f, 1e38f)}) xs.push_back(x);
        }
        for (int k = 0; k < 2000; ++k) xs.push_back(static_cast<float>(-5.0 + 300.0 * rng.uniform()));
        for (float x : xs) {
            INFO("x = " << x);
            const unsigned want = search.bin(static_cast<double>(x));
            REQUIRE(blocks.bin(x) == want);
            REQUIRE(blocks.bin_by_blocks(x) == want);
        }
    }
}

TEST_CASE("HistGradientBoosting bins float data as it bins the same values in double", "[hgb][kernels]") {
    // Float data is binned by float_thresholds (on AVX-512), double data by the binary search:
    // values exactly representable in float, with missing values and a categorical feature, give
    // the same thresholds and the same trees, so the same predictions to float's rounding.
    const Index n = 3000;
    Matrix<double> X(n, 4);
    Vector<double> y(n);
    random_engine rng(3);
    for (Index i = 0; i < n; ++i) {
        X(i, 0) = static_cast<double>(static_cast<float>(rng.normal()));
        X(i, 1) = i % 17 == 0 ? std::numeric_limits<double>::quiet_NaN()
                              : static_cast<double>(static_cast<float>(10 * rng.uniform()));
        X(i, 2) = static_cast<double>(rng.index_below(7));
        X(i, 3) = static_cast<double>(rng.index_below(41)) / 4;
        const double x1 = X(i, 1) == X(i, 1) ? X(i, 1) : 5.0;
        y[i] = static_cast<double>(
            static_cast<float>(X(i, 0) + 0.3 * x1 + (X(i, 2) == 3 ? 2.0 : 0.0) + X(i, 3) * X(i, 0)));
    }
    const Matrix<float> Xf = X.cast<float>();
    const Vector<float> yf = y.cast<float>();
    const ensemble::HistGradientBoostingRegressorParams p{
        .max_iter = 5, .categorical_features = {2}, .early_stopping = false, .n_jobs = 1};
    ensemble::HistGradientBoostingRegressor<double> in_double(p);
    ensemble::HistGradientBoostingRegressor<float> in_float(p);
    in_double.fit(X, y);
    in_float.fit(Xf, yf);
    REQUIRE(in_float.bin_thresholds() == in_double.bin_thresholds());
    const Vector<double> pd = in_double.predict(X);
    const Vector<double> pf = in_float.predict(Xf).cast<double>();
    REQUIRE(pd.size() == n);
    for (Index i = 0; i < n; ++i) {
        INFO("row " << i);
        CHECK(std::abs(pf[i] - pd[i]) <= 1e-6 * (1 + std::abs(pd[i])));
    }
}
