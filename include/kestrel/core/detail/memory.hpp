#pragma once
/// \file
/// Memory: large working buffers (uninitialised, and on Linux backed by transparent huge pages),
/// vectors whose resize leaves their elements unwritten, and prefetches.

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace kestrel::detail {

/// Frees what large_buffer allocated.
struct free_memory {
    void operator()(void* p) const noexcept { std::free(p); }
};

/// An owned, uninitialised array of a trivial type (see allocate_large).
template <class T>
using large_buffer = std::unique_ptr<T[], free_memory>;

/// `count` values of T, not initialised. On Linux a buffer of 2 MB or more is aligned to 2 MB and
/// marked for transparent huge pages (madvise; a no-op where the system has them off), so that its
/// first touches fault once per 2 MB instead of once per 4 kB page: the SVM kernel cache's 200 MB
/// had cost 51,200 page faults a fit, about a tenth of an RBF fit on 20,000 × 50.
template <class T>
[[nodiscard]] large_buffer<T> allocate_large(std::size_t count) {
    static_assert(std::is_trivially_default_constructible_v<T> && std::is_trivially_destructible_v<T>);
    static_assert(alignof(T) <= alignof(std::max_align_t), "malloc's alignment");
    constexpr std::size_t most = static_cast<std::size_t>(-1);
    if (count > most / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = std::max<std::size_t>(count * sizeof(T), 1);
    void* memory = nullptr;
#if defined(__linux__) && defined(MADV_HUGEPAGE) && !defined(__ANDROID__)
    constexpr std::size_t huge_page = std::size_t{2} << 20;  // x86-64's, and aarch64's with 4 kB pages
    if (bytes >= huge_page && bytes <= most - huge_page) {
        const std::size_t rounded = (bytes + huge_page - 1) / huge_page * huge_page;
        memory = std::aligned_alloc(huge_page, rounded);
        if (memory != nullptr) ::madvise(memory, rounded, MADV_HUGEPAGE);
    }
#endif
    if (memory == nullptr) memory = std::malloc(bytes);
    if (memory == nullptr) throw std::bad_alloc();
    return large_buffer<T>(static_cast<T*>(memory));
}

/// Asks for the cache line holding `address` ahead of its use; a no-op where the compiler has no
/// prefetch builtin.
inline void prefetch(const void* address) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address);
#else
    (void)address;
#endif
}

/// As prefetch, into the second-level cache only: for data wanted soon but not before the data
/// now in the first level has been used.
inline void prefetch_l2(const void* address) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 0, 2);
#else
    (void)address;
#endif
}

/// std::allocator whose construction without arguments default-initialises: a vector's resize()
/// leaves trivial elements unwritten, so that a parallel pass that writes them is the first to
/// touch their pages.
template <class T>
struct default_init_allocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = default_init_allocator<U>;
    };
    default_init_allocator() noexcept = default;
    template <class U>
    default_init_allocator(const default_init_allocator<U>&) noexcept {}

    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// A vector whose resize() leaves trivial elements unwritten (default_init_allocator).
template <class T>
using unzeroed_vector = std::vector<T, default_init_allocator<T>>;

/// default_init_allocator aligned to a cache line (64 bytes): arrays laid out so that groups of
/// their elements do not straddle two lines.
template <class T>
struct line_allocator : default_init_allocator<T> {
    template <class U>
    struct rebind {
        using other = line_allocator<U>;
    };
    static constexpr std::align_val_t alignment{64};
    line_allocator() noexcept = default;
    template <class U>
    line_allocator(const line_allocator<U>&) noexcept {}
    [[nodiscard]] T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        return static_cast<T*>(::operator new(n * sizeof(T), alignment));
    }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, alignment); }
#if defined(__cpp_lib_allocate_at_least)
    // std::allocator's, which C++23 containers may call, would allocate without the alignment.
    [[nodiscard]] std::allocation_result<T*> allocate_at_least(std::size_t n) { return {allocate(n), n}; }
#endif
};
/// A vector whose elements start on a cache line, and whose resize leaves them unwritten.
template <class T>
using line_vector = std::vector<T, line_allocator<T>>;

}  // namespace kestrel::detail
