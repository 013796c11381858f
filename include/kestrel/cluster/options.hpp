#pragma once
/// \file
/// The options KMeans and MiniBatchKMeans share.

namespace kestrel::cluster {

/// How the first centres are chosen: scikit-learn's `init='k-means++'` or `'random'`.
enum class Init { k_means_plus_plus, random };

/// Which k-means iteration runs: scikit-learn's `algorithm='lloyd'` or `'elkan'`.
enum class Algorithm { lloyd, elkan };

}  // namespace kestrel::cluster
