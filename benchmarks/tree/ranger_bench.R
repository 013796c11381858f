# T2 and T3 reference: ranger (Debian's r-cran-ranger), run by tree/forest_ranger.cpp through
# Rscript, one fit a process. Reads the case's .npy files (float32 features, float64 or int32
# targets), fits one forest and prints, one "key=value" a line:
#   seconds    the wall time of the ranger() call alone (loading R, ranger and the data excluded)
#   oob        out-of-bag accuracy (classification) or R² (regression), ranger's own estimate
#   test       held-out accuracy (majority vote of the trees) or R² (1 - SSE / SST)
#   n_leaves   mean number of leaves a tree
# Usage: Rscript ranger_bench.R classification|regression X.npy y.npy X_test.npy y_test.npy
#        num_trees mtry threads seed
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 9) stop("usage: ranger_bench.R mode X y X_test y_test num_trees mtry threads seed")
suppressMessages(library(ranger))

# A C-order (or Fortran-order) .npy file of <f4, <f8 or <i4 values: a matrix for two dimensions,
# else a vector.
read_npy <- function(path) {
    con <- file(path, "rb")
    on.exit(close(con))
    magic <- readBin(con, "raw", 6)
    if (!identical(magic[2:6], charToRaw("NUMPY"))) stop(path, " is not a .npy file")
    version <- readBin(con, "integer", 2, size = 1, signed = FALSE)
    header_len <- if (version[1] == 1) {
        readBin(con, "integer", 1, size = 2, signed = FALSE, endian = "little")
    } else {
        readBin(con, "integer", 1, size = 4, endian = "little")
    }
    header <- rawToChar(readBin(con, "raw", header_len))
    descr <- sub(".*'descr': *'([^']+)'.*", "\\1", header)
    fortran <- grepl("'fortran_order': *True", header)
    dims <- sub(".*'shape': *\\(([^)]*)\\).*", "\\1", header)
    shape <- as.numeric(Filter(nzchar, strsplit(gsub(" ", "", dims), ",")[[1]]))
    n <- prod(shape)
    size <- as.integer(substring(descr, 3))
    if (substr(descr, 1, 1) == ">") stop(path, ": big-endian data")
    values <- switch(substr(descr, 2, 2),
                     f = readBin(con, "numeric", n, size = size, endian = "little"),
                     i = readBin(con, "integer", n, size = size, endian = "little"),
                     stop(path, ": unsupported dtype ", descr))
    if (length(shape) == 2) matrix(values, nrow = shape[1], ncol = shape[2], byrow = !fortran) else values
}

mode <- args[1]
X <- read_npy(args[2])
y <- read_npy(args[3])
X_test <- read_npy(args[4])
y_test <- read_npy(args[5])
colnames(X) <- colnames(X_test) <- paste0("x", seq_len(ncol(X)))
num_trees <- as.integer(args[6])
mtry <- as.integer(args[7])
threads <- as.integer(args[8])
seed <- as.integer(args[9])
classification <- mode == "classification"
if (classification) y <- factor(y)

# min.node.size 1: nodes are split down to single samples, as scikit-learn's min_samples_split = 2
# (ranger's regression default is 5). Bootstrap with replacement, sample.fraction 1 (defaults).
start <- Sys.time()
fit <- ranger(x = X, y = y, num.trees = num_trees, mtry = mtry, min.node.size = 1, replace = TRUE,
              num.threads = threads, seed = seed, verbose = FALSE)
seconds <- as.numeric(difftime(Sys.time(), start, units = "secs"))

predicted <- predict(fit, X_test, num.threads = threads)$predictions
if (classification) {
    oob <- 1 - fit$prediction.error
    test <- mean(as.character(predicted) == as.character(y_test))
} else {
    oob <- fit$r.squared
    test <- 1 - sum((y_test - predicted)^2) / sum((y_test - mean(y_test))^2)
}
# A leaf has no children: its left child ID is 0.
leaves <- mean(vapply(fit$forest$child.nodeIDs, function(children) sum(children[[1]] == 0), numeric(1)))
cat(sprintf("seconds=%.9f\noob=%.9g\ntest=%.9g\nn_leaves=%.9g\n", seconds, oob, test, leaves))
