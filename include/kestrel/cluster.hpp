#pragma once
/// \file
/// kestrel::cluster: k-means clustering, as sklearn.cluster.

#include "cluster/kmeans.hpp"
#include "cluster/minibatch_kmeans.hpp"
