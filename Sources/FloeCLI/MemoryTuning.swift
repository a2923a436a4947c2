#if canImport(CMalloc)
import CMalloc
#endif

/// Process-wide allocator settings for a columnar engine.
///
/// Decoding allocates and frees large buffers (levels, indices, values of whole column chunks)
/// over and over. With glibc's defaults every buffer above 128 KiB is a fresh `mmap` whose pages
/// fault in one by one and are zeroed by the kernel, then unmapped on free; profiles showed page
/// faults taking a large share of short scans. Like the memory pools of other engines, the
/// process keeps freed memory for reuse instead: peak memory is unchanged (it is what the work
/// needs at its largest), only the page-fault churn goes.
enum MemoryTuning {
    static func keepFreedMemory() {
        #if canImport(CMalloc) && os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
        #endif
    }
}
