#pragma once
/// \file
/// The options KMeans and MiniBatchKMeans share.

#include "../core/params.hpp"

namespace kestrel::cluster {

/// How the first centres are chosen: scikit-learn's `init='k-means++'` or `'random'`.
enum class Init { k_means_plus_plus, random };
/// scikit-learn's spellings of Init's values.
constexpr enum_table<Init, 2> enum_names(Init) {
    return {{{Init::k_means_plus_plus, "k-means++"}, {Init::random, "random"}}};
}

/// Which k-means iteration runs: scikit-learn's `algorithm='lloyd'` or `'elkan'`.
enum class Algorithm { lloyd, elkan };
/// scikit-learn's spellings of Algorithm's values.
constexpr enum_table<Algorithm, 2> enum_names(Algorithm) {
    return {{{Algorithm::lloyd, "lloyd"}, {Algorithm::elkan, "elkan"}}};
}

}  // namespace kestrel::cluster
