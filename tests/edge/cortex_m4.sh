#!/bin/sh
# Cross-compiles models exported by io::export_cpp for a Cortex-M4F and reports the size of each
# linked image: the check that an exported model builds for a microcontroller.
#
#   sh tests/edge/cortex_m4.sh EXPORTED_DIR [WORK_DIR]
#
# EXPORTED_DIR holds the headers written by tests/edge/export_models.cpp. Each model is built into
# tests/edge/cortex_m4_main.cpp and linked with newlib-nano and the nosys stubs; the table gives
# the text, data and bss bytes of the image (as arm-none-eabi-size counts them: text includes the
# read-only data, so the model's constant arrays), the bytes of the model's own constant arrays
# kept in the image, and the first row is the same program with no model. The objects and images
# go to WORK_DIR when it is given (kept), else to a temporary directory (removed).
#
# Float models use the single-precision FPU (-mfloat-abi=hard -mfpu=fpv4-sp-d16); a double model
# is built with the same flags, its double arithmetic done in software, to show that it builds.
#
# Exit status: 0 when every model compiled and linked, 1 when one did not, 2 on a usage error;
# 0 with "skipped: arm-none-eabi-g++ not installed" when there is no cross compiler. ARM_CXX names
# the compiler when it is not arm-none-eabi-g++ on PATH (the C driver, size and nm are taken from
# the same prefix).
set -u

usage() {
    echo "usage: sh $0 EXPORTED_DIR [WORK_DIR]" >&2
    exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
exported=$1
[ -d "$exported" ] || { echo "error: $exported is not a directory" >&2; exit 2; }

cxx=${ARM_CXX:-arm-none-eabi-g++}
if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "skipped: arm-none-eabi-g++ not installed"
    exit 0
fi
prefix=${cxx%g++}
cc=${prefix}gcc
size=${prefix}size
nm=${prefix}nm

here=$(cd "$(dirname "$0")" && pwd)
main=$here/cortex_m4_main.cpp

if [ $# -ge 2 ]; then
    work=$2
    mkdir -p "$work" || exit 1
else
    work=$(mktemp -d) || exit 1
    trap 'rm -rf "$work"' EXIT
    trap 'exit 1' HUP INT TERM
fi

# The target, and the flags of both compiling and linking.
target="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -ffunction-sections -fdata-sections"
cxxflags="-std=c++17 -fno-exceptions -fno-rtti -Wall -Wextra"
# Linked through the C driver: the program needs no C++ runtime library (nothing of libstdc++
# beyond headers), so none is asked for; libm gives the exponential and fma.
ldflags="--specs=nano.specs --specs=nosys.specs -Wl,--gc-sections"

# The models: random forest, histogram gradient boosting (3 classes), RBF SVC, multinomial
# logistic regression and a single tree, all float; a boosted regressor (exp of the raw score);
# the double random forest.
models="forest_classifier_float boosting_three_float svc_rbf_float logistic_three_float
tree_classifier_float boosting_poisson_float forest_classifier_double"

echo "compiler: $("$cxx" --version | sed 1q)"
echo "compile:  $cxx $target $cxxflags"
echo "link:     $cc $target $ldflags ... -lm"
echo

failed=0
table=$work/table.txt
printf '%-26s %9s %7s %7s %14s\n' model text data bss model_arrays >"$table"

# build NAME [extra compiler flags...]: compiles and links $work/NAME.elf. (The flag lists are
# split into words on purpose.)
# shellcheck disable=SC2086
build() {
    name=$1
    shift
    if ! "$cxx" $target $cxxflags "$@" -c "$main" -o "$work/$name.o"; then
        echo "error: $name does not compile" >&2
        return 1
    fi
    if ! "$cc" $target $ldflags "$work/$name.o" -lm -o "$work/$name.elf"; then
        echo "error: $name does not link" >&2
        return 1
    fi
}

# row NAME ARRAYS: appends the image's sizes to the table.
row() {
    "$size" "$work/$1.elf" | sed -n 2p | {
        read -r text data bss _
        printf '%-26s %9s %7s %7s %14s\n' "$1" "$text" "$data" "$bss" "$2" >>"$table"
    }
}

if build baseline; then
    row baseline -
else
    failed=1
fi

for model in $models; do
    header=$exported/$model.hpp
    if [ ! -f "$header" ]; then
        echo "error: $header not found" >&2
        failed=1
        continue
    fi
    # A classifier with probabilities: predict_proba is called too.
    proba=0
    grep -q '^inline std::array<scalar, n_classes> predict_proba(' "$header" && proba=1
    if ! build "$model" -I"$exported" "-DMODEL_HEADER=\"$model.hpp\"" "-DMODEL=$model" \
        "-DMODEL_PREDICT_PROBA=$proba"; then
        failed=1
        continue
    fi
    # The model's own objects kept in the image (its constant arrays), from the symbol table.
    arrays=0
    for hex in $("$nm" -S -C "$work/$model.elf" | awk -v p="$model::" '
        NF >= 4 && $3 ~ /^[RrDdBbVv]$/ && index($4, p) == 1 { print $2 }'); do
        arrays=$((arrays + 0x$hex))
    done
    row "$model" "$arrays"
done

cat "$table"
if [ "$failed" -ne 0 ]; then
    echo "FAILED: a model did not build for the Cortex-M4" >&2
    exit 1
fi
echo "ok: every model built for the Cortex-M4"
exit 0
