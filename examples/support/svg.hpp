#pragma once
// A small SVG writer for kestrel's examples (not part of the library): one scatter plot with
// axes, ticks, a title, coloured cells (a classifier's regions), points, centre markers and a
// legend, written as plain <svg> text that any browser or image viewer opens.
//
//   svg::Plot plot({.title = "k-means", .x_label = "petal length (cm)", .y_label = "petal width (cm)"});
//   plot.fit_limits(xs, ys);                      // or plot.set_limits(x0, x1, y0, y1)
//   plot.point(x, y, svg::color(k));
//   plot.legend(svg::color(k), "cluster 0");
//   plot.save("kmeans.svg");

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace svg {

/// Ten colours that stay distinct for colour-blind readers (Okabe and Ito's eight, then two more).
inline constexpr std::array<std::string_view, 10> palette = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                                             "#D55E00", "#F0E442", "#000000", "#999999", "#7F3C8D"};

/// The k-th colour of the palette (cycling).
inline std::string color(std::size_t k) { return std::string(palette[k % palette.size()]); }

/// `hex` ("#RRGGBB") mixed with white: 0 keeps it, 1 gives white.
inline std::string lighten(std::string_view hex, double amount) {
    char out[8];
    unsigned channels[3];
    for (int c = 0; c < 3; ++c) {
        channels[c] = static_cast<unsigned>(std::stoul(std::string(hex.substr(1 + 2 * c, 2)), nullptr, 16));
        channels[c] = static_cast<unsigned>(std::lround(channels[c] + (255.0 - channels[c]) * amount));
    }
    std::snprintf(out, sizeof out, "#%02X%02X%02X", channels[0], channels[1], channels[2]);
    return out;
}

/// Text safe inside an SVG element or attribute.
inline std::string escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// Ticks at 1, 2 or 5 times a power of ten, about `target` of them over [lo, hi].
inline std::vector<double> nice_ticks(double lo, double hi, int target = 7) {
    const double raw = (hi - lo) / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= raw) break;
    }
    std::vector<double> ticks;
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return ticks;
}

/// A tick label: as few decimals as the ticks' step needs.
inline std::string tick_label(double value, double step) {
    const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    char out[32];
    std::snprintf(out, sizeof out, "%.*f", decimals, value);
    return out;
}

/// One scatter plot in an SVG document.
class Plot {
public:
    struct Options {
        std::string title;
        std::string subtitle;  ///< a smaller line under the title (model and scores)
        std::string x_label;
        std::string y_label;
        double width = 720;
        double height = 540;
    };

    explicit Plot(Options options) : o_(std::move(options)) {
        left_ = 64;
        right_ = o_.width - 176;  // the legend's column
        top_ = o_.subtitle.empty() ? 48 : 66;
        bottom_ = o_.height - 52;
    }

    /// The data ranges the plot area shows.
    void set_limits(double x0, double x1, double y0, double y1) { x0_ = x0, x1_ = x1, y0_ = y0, y1_ = y1; }

    /// Limits that hold every (x, y) with a margin of `pad` of each range on every side.
    void fit_limits(const std::vector<double>& xs, const std::vector<double>& ys, double pad = 0.06) {
        const auto [xmin, xmax] = std::minmax_element(xs.begin(), xs.end());
        const auto [ymin, ymax] = std::minmax_element(ys.begin(), ys.end());
        const double dx = (*xmax - *xmin) * pad, dy = (*ymax - *ymin) * pad;
        set_limits(*xmin - dx, *xmax + dx, *ymin - dy, *ymax + dy);
    }

    [[nodiscard]] double x_min() const { return x0_; }
    [[nodiscard]] double x_max() const { return x1_; }
    [[nodiscard]] double y_min() const { return y0_; }
    [[nodiscard]] double y_max() const { return y1_; }

    /// Pixel coordinates of a data point.
    [[nodiscard]] double px(double x) const { return left_ + (x - x0_) / (x1_ - x0_) * (right_ - left_); }
    [[nodiscard]] double py(double y) const { return bottom_ - (y - y0_) / (y1_ - y0_) * (bottom_ - top_); }

    /// Cells of a grid over the plot area, `nx` across and `ny` up, coloured by `fill(label)`;
    /// labels[i * nx + j] is the cell in row i (from the bottom) and column j. Runs of equal
    /// labels in a row are drawn as one rectangle, its edges on whole pixels so that no seam shows.
    void label_grid(const std::vector<int>& labels, int nx, int ny, const std::function<std::string(int)>& fill) {
        const auto x_edge = [&](int j) { return std::round(left_ + j * (right_ - left_) / nx); };
        const auto y_edge = [&](int i) { return std::round(bottom_ - i * (bottom_ - top_) / ny); };
        const auto at = [&](int i, int j) {
            return labels[static_cast<std::size_t>(i) * static_cast<std::size_t>(nx) + static_cast<std::size_t>(j)];
        };
        for (int i = 0; i < ny; ++i) {
            if (y_edge(i) == y_edge(i + 1)) continue;  // a row thinner than a pixel
            for (int j = 0; j < nx;) {
                int end = j + 1;
                while (end < nx && at(i, end) == at(i, j)) ++end;
                cells_ << "<rect x=\"" << num(x_edge(j)) << "\" y=\"" << num(y_edge(i + 1)) << "\" width=\""
                       << num(x_edge(end) - x_edge(j)) << "\" height=\"" << num(y_edge(i) - y_edge(i + 1))
                       << "\" fill=\"" << fill(at(i, j)) << "\"/>\n";
                j = end;
            }
        }
    }

    /// A dot, slightly transparent so that piled-up points read darker; `stroke` outlines it.
    void point(double x, double y, std::string_view fill, double radius = 4, std::string_view stroke = "#FFFFFF",
               double stroke_width = 0.8, double opacity = 0.85) {
        marks_ << "<circle cx=\"" << num(px(x)) << "\" cy=\"" << num(py(y)) << "\" r=\"" << num(radius) << "\" fill=\""
               << fill << "\" fill-opacity=\"" << num(opacity) << "\" stroke=\"" << stroke << "\" stroke-width=\""
               << num(stroke_width) << "\"/>\n";
    }

    /// An empty ring, e.g. around a misclassified point.
    void ring(double x, double y, std::string_view stroke, double radius = 7, double stroke_width = 1.6) {
        marks_ << "<circle cx=\"" << num(px(x)) << "\" cy=\"" << num(py(y)) << "\" r=\"" << num(radius)
               << "\" fill=\"none\" stroke=\"" << stroke << "\" stroke-width=\"" << num(stroke_width) << "\"/>\n";
    }

    /// A centre: a cross in `fill` with a dark outline, drawn above the points.
    void centre(double x, double y, std::string_view fill, double size = 9) {
        top_marks_ << cross(px(x), py(y), fill, size);
    }

    /// A legend line: a dot (white or dark outline), a ring, a cross or a square of `color`, then `label`.
    enum class Mark { dot, outlined_dot, ring, cross, square };
    void legend(std::string_view color, std::string_view label, Mark mark = Mark::dot) {
        legend_.push_back({std::string(color), std::string(label), mark});
    }

    /// The whole document.
    [[nodiscard]] std::string str() const {
        std::ostringstream s;
        s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(o_.width) << "\" height=\"" << num(o_.height)
          << "\" viewBox=\"0 0 " << num(o_.width) << ' ' << num(o_.height)
          << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
          << "<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n";
        s << "<text x=\"" << num(left_) << "\" y=\"26\" font-size=\"17\" font-weight=\"bold\" fill=\"#222222\">"
          << escape(o_.title) << "</text>\n";
        if (!o_.subtitle.empty()) {
            s << "<text x=\"" << num(left_) << "\" y=\"47\" font-size=\"12.5\" fill=\"#555555\">" << escape(o_.subtitle)
              << "</text>\n";
        }
        s << "<defs><clipPath id=\"area\"><rect x=\"" << num(left_) << "\" y=\"" << num(top_) << "\" width=\""
          << num(right_ - left_) << "\" height=\"" << num(bottom_ - top_) << "\"/></clipPath></defs>\n";
        s << "<g clip-path=\"url(#area)\" shape-rendering=\"crispEdges\">\n" << cells_.str() << "</g>\n";
        axes(s);
        s << "<g clip-path=\"url(#area)\">\n" << marks_.str() << top_marks_.str() << "</g>\n";
        legend_box(s);
        s << "</svg>\n";
        return s.str();
    }

    /// Writes the document to `path`; false when the file cannot be written.
    bool save(const std::string& path) const {
        std::ofstream out(path);
        out << str();
        return static_cast<bool>(out);
    }

private:
    struct LegendEntry {
        std::string color, label;
        Mark mark;
    };

    static std::string num(double v) {
        char out[32];
        std::snprintf(out, sizeof out, "%.2f", v);
        std::string s = out;
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return s;
    }

    static std::string cross(double cx, double cy, std::string_view fill, double size) {
        // A plus sign turned 45 degrees: an X with square arms, outlined.
        const double a = size, b = size * 0.32;
        std::ostringstream s;
        s << "<path transform=\"translate(" << num(cx) << ' ' << num(cy) << ") rotate(45)\" d=\"M" << num(-b) << ','
          << num(-a) << 'H' << num(b) << 'V' << num(-b) << 'H' << num(a) << 'V' << num(b) << 'H' << num(b) << 'V'
          << num(a) << 'H' << num(-b) << 'V' << num(b) << 'H' << num(-a) << 'V' << num(-b) << 'H' << num(-b)
          << "Z\" fill=\"" << fill << "\" stroke=\"#1A1A1A\" stroke-width=\"1.4\" stroke-linejoin=\"round\"/>\n";
        return s.str();
    }

    void axes(std::ostringstream& s) const {
        const std::vector<double> xt = nice_ticks(x0_, x1_), yt = nice_ticks(y0_, y1_);
        const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1, ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
        s << "<g stroke=\"#DDDDDD\" stroke-width=\"0.6\" shape-rendering=\"crispEdges\" opacity=\""
          << (cells_.str().empty() ? "1" : "0.45") << "\">\n";
        for (const double t : xt) {
            s << "<line x1=\"" << num(px(t)) << "\" y1=\"" << num(top_) << "\" x2=\"" << num(px(t)) << "\" y2=\""
              << num(bottom_) << "\"/>\n";
        }
        for (const double t : yt) {
            s << "<line x1=\"" << num(left_) << "\" y1=\"" << num(py(t)) << "\" x2=\"" << num(right_) << "\" y2=\""
              << num(py(t)) << "\"/>\n";
        }
        s << "</g>\n<rect x=\"" << num(left_) << "\" y=\"" << num(top_) << "\" width=\"" << num(right_ - left_)
          << "\" height=\"" << num(bottom_ - top_)
          << "\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\" shape-rendering=\"crispEdges\"/>\n";
        s << "<g font-size=\"11\" fill=\"#444444\">\n";
        for (const double t : xt) {
            s << "<line x1=\"" << num(px(t)) << "\" y1=\"" << num(bottom_) << "\" x2=\"" << num(px(t)) << "\" y2=\""
              << num(bottom_ + 5) << "\" stroke=\"#444444\"/><text x=\"" << num(px(t)) << "\" y=\"" << num(bottom_ + 18)
              << "\" text-anchor=\"middle\">" << tick_label(t, xstep) << "</text>\n";
        }
        for (const double t : yt) {
            s << "<line x1=\"" << num(left_ - 5) << "\" y1=\"" << num(py(t)) << "\" x2=\"" << num(left_) << "\" y2=\""
              << num(py(t)) << "\" stroke=\"#444444\"/><text x=\"" << num(left_ - 8) << "\" y=\"" << num(py(t) + 4)
              << "\" text-anchor=\"end\">" << tick_label(t, ystep) << "</text>\n";
        }
        s << "</g>\n<g font-size=\"13\" fill=\"#222222\" text-anchor=\"middle\">\n<text x=\""
          << num((left_ + right_) / 2) << "\" y=\"" << num(o_.height - 14) << "\">" << escape(o_.x_label)
          << "</text>\n<text transform=\"translate(18 " << num((top_ + bottom_) / 2) << ") rotate(-90)\">"
          << escape(o_.y_label) << "</text>\n</g>\n";
    }

    void legend_box(std::ostringstream& s) const {
        if (legend_.empty()) return;
        const double x = right_ + 18, row = 22;
        double y = top_ + 14;
        s << "<g font-size=\"12.5\" fill=\"#222222\">\n";
        for (const LegendEntry& e : legend_) {
            switch (e.mark) {
                case Mark::dot:
                    s << "<circle cx=\"" << num(x + 6) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\"" << e.color
                      << "\" stroke=\"#FFFFFF\" stroke-width=\"0.8\"/>\n";
                    break;
                case Mark::outlined_dot:
                    s << "<circle cx=\"" << num(x + 6) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\"" << e.color
                      << "\" stroke=\"#1A1A1A\" stroke-width=\"1.2\"/>\n";
                    break;
                case Mark::ring:
                    s << "<circle cx=\"" << num(x + 6) << "\" cy=\"" << num(y) << "\" r=\"6\" fill=\"none\" stroke=\""
                      << e.color << "\" stroke-width=\"1.6\"/>\n";
                    break;
                case Mark::cross:
                    s << cross(x + 6, y, e.color, 8);
                    break;
                case Mark::square:
                    s << "<rect x=\"" << num(x) << "\" y=\"" << num(y - 6) << "\" width=\"12\" height=\"12\" fill=\""
                      << e.color << "\" stroke=\"#BBBBBB\" stroke-width=\"0.6\"/>\n";
                    break;
            }
            s << "<text x=\"" << num(x + 20) << "\" y=\"" << num(y + 4.5) << "\">" << escape(e.label) << "</text>\n";
            y += row;
        }
        s << "</g>\n";
    }

    Options o_;
    double left_, right_, top_, bottom_;
    double x0_ = 0, x1_ = 1, y0_ = 0, y1_ = 1;
    std::ostringstream cells_, marks_, top_marks_;
    std::vector<LegendEntry> legend_;
};

}  // namespace svg
