// A Params object built in a constant expression with an invalid value does not compile.
#include <kestrel/core/params.hpp>

struct Params {
    int n_clusters = 8;
    constexpr void validate() const {
        kestrel::require_param(n_clusters >= 1, "KMeans", "n_clusters", n_clusters, "must be >= 1");
    }
};

constexpr Params checked(Params p) {
    p.validate();
    return p;
}

#ifdef KESTREL_COMPILE_FAIL
constexpr Params params = checked({.n_clusters = 0});
#else
constexpr Params params = checked({.n_clusters = 3});
#endif

int main() { return params.n_clusters == 3 ? 0 : 1; }
