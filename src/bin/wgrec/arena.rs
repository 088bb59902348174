//! The allocator of the executable: the system's, except during a one-shot query (`recommend`,
//! `search`, `itinerary`), whose small blocks come from a bump arena.
//!
//! Why: a query allocates about 2 MB in some 20,000 small blocks (decoded strings, vectors of
//! scores) and exits. The system allocator's bookkeeping for them (size classes, coalescing on
//! free) was about a third of the instructions of an itinerary; handing out the next bytes of
//! one region costs a few instructions, and a free is nothing (or, for the block handed out
//! last, giving its bytes back). Memory a query frees is not reused, which is what makes it
//! cheap: it is bounded by [`REGION`], after which blocks come from the system again. Large
//! blocks always come from the system (they are few, and their memory is worth returning).
//! Long-running commands (`serve`, `refresh`, `fetch`, `index`, `guide`, `eval`) never switch it
//! on. README "Speed, measured" has the figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Address space set aside for one query's small blocks; only the pages written count in its
/// resident memory.
const REGION: usize = 64 << 20;

/// Blocks from this size up always come from the system.
const LARGE: usize = 64 << 10;

/// A bump allocator over one region: `top` moves up as blocks are handed out; a free gives
/// bytes back only when it is of the block that ends at `top`. Lock-free (compare-and-swap),
/// so threads may share it.
pub struct Bump {
    /// Start of the region; 0 while there is none.
    start: AtomicUsize,
    top: AtomicUsize,
    end: AtomicUsize,
}

impl Bump {
    pub const fn empty() -> Self {
        Self {
            start: AtomicUsize::new(0),
            top: AtomicUsize::new(0),
            end: AtomicUsize::new(0),
        }
    }

    /// Starts handing out `len` bytes from `region` (once; later calls are ignored).
    ///
    /// # Safety
    /// `region` must be valid for reads and writes of `len` bytes for the rest of the program
    /// and used by nothing else.
    pub unsafe fn begin(&self, region: *mut u8, len: usize) {
        let start = region as usize;
        if self.start.load(Ordering::Acquire) != 0 {
            return;
        }
        self.top.store(start, Ordering::Relaxed);
        self.end.store(start + len, Ordering::Relaxed);
        // Published last: a thread that sees `start` also sees `top` and `end`.
        self.start.store(start, Ordering::Release);
    }

    /// Whether `ptr` was handed out by this arena.
    pub fn owns(&self, ptr: *mut u8) -> bool {
        let start = self.start.load(Ordering::Acquire);
        let p = ptr as usize;
        start != 0 && p >= start && p < self.end.load(Ordering::Relaxed)
    }

    /// The next `layout.size()` bytes at `layout.align()`, or `None` when the region is
    /// missing or full or the block is large.
    pub fn alloc(&self, layout: Layout) -> Option<*mut u8> {
        if layout.size() >= LARGE || self.start.load(Ordering::Acquire) == 0 {
            return None;
        }
        let end = self.end.load(Ordering::Relaxed);
        let mut top = self.top.load(Ordering::Relaxed);
        loop {
            let at = top.checked_next_multiple_of(layout.align())?;
            let next = at.checked_add(layout.size()).filter(|&n| n <= end)?;
            match self
                .top
                .compare_exchange_weak(top, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return Some(at as *mut u8),
                Err(now) => top = now,
            }
        }
    }

    /// Gives the bytes of `ptr` back if it is the block handed out last; otherwise they stay
    /// used until the process ends.
    pub fn free(&self, ptr: *mut u8, size: usize) {
        let p = ptr as usize;
        let _ = self
            .top
            .compare_exchange(p + size, p, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Grows or shrinks the block handed out last where it stands; `false` for any other block
    /// or when the region has no room.
    pub fn resize_in_place(&self, ptr: *mut u8, old: usize, new: usize) -> bool {
        let p = ptr as usize;
        if new >= LARGE || p + new > self.end.load(Ordering::Relaxed) {
            return false;
        }
        self.top
            .compare_exchange(p + old, p + new, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    }
}

static BUMP: Bump = Bump::empty();

/// The executable's global allocator (see the module doc).
pub struct Arena;

/// Switches small blocks to the arena for the rest of the process. Blocks allocated before stay
/// the system's and are freed to it. Without the region (the system refused it) nothing changes.
pub fn one_shot() {
    let Ok(layout) = Layout::from_size_align(REGION, 4096) else {
        return;
    };
    // SAFETY: the layout is non-zero; the region is never freed and is used only by BUMP.
    unsafe {
        let region = System.alloc(layout);
        if !region.is_null() {
            BUMP.begin(region, REGION);
        }
    }
}

// SAFETY: every block is either the system's (allocated, resized and freed by `System`) or
// the arena's (inside the region, never handed out twice while live: `top` only moves back
// over the block that ends at it, when that block is freed or resized).
unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match BUMP.alloc(layout) {
            Some(p) => p,
            // SAFETY: forwarded with the caller's guarantees.
            None => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match BUMP.alloc(layout) {
            Some(p) => {
                // SAFETY: `p` is valid for `layout.size()` bytes. Freed bytes may be reused, so
                // they are zeroed here rather than trusted to be fresh pages.
                unsafe { p.write_bytes(0, layout.size()) };
                p
            }
            // SAFETY: forwarded with the caller's guarantees.
            None => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if BUMP.owns(ptr) {
            BUMP.free(ptr, layout.size());
        } else {
            // SAFETY: not the arena's, so the system's, with the caller's guarantees.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !BUMP.owns(ptr) {
            // SAFETY: the system's block, with the caller's guarantees.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // A block that shrinks stays where it is (giving its tail back if it was the last).
        if BUMP.resize_in_place(ptr, layout.size(), new_size) || new_size <= layout.size() {
            return ptr;
        }
        // SAFETY: the caller guarantees `new_size` is valid for `layout.align()`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as for `alloc`; then both blocks are valid for the bytes copied, and they do
        // not overlap (the old block is live until freed below).
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bump_over(buf: &mut [u64]) -> Bump {
        let b = Bump::empty();
        // SAFETY: the buffer outlives the test's use of `b`.
        unsafe { b.begin(buf.as_mut_ptr().cast(), buf.len() * 8) };
        b
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn blocks_are_aligned_and_do_not_overlap() {
        let mut buf = vec![0u64; 64];
        let b = bump_over(&mut buf);
        let x = b.alloc(layout(3, 1)).unwrap() as usize;
        let y = b.alloc(layout(8, 8)).unwrap() as usize;
        let z = b.alloc(layout(1, 1)).unwrap() as usize;
        assert_eq!(y % 8, 0);
        assert!(y >= x + 3 && z >= y + 8);
        assert!(b.owns(x as *mut u8) && b.owns(z as *mut u8));
        assert!(!b.owns(std::ptr::null_mut()));
    }

    #[test]
    fn only_the_last_block_gives_its_bytes_back() {
        let mut buf = vec![0u64; 64];
        let b = bump_over(&mut buf);
        let x = b.alloc(layout(16, 8)).unwrap();
        let y = b.alloc(layout(16, 8)).unwrap();
        b.free(x, 16); // not the last: stays used
        assert_eq!(b.alloc(layout(16, 8)).unwrap() as usize, y as usize + 16);
        let z = y.wrapping_add(16);
        b.free(z, 16);
        assert_eq!(b.alloc(layout(16, 8)), Some(z));
    }

    #[test]
    fn the_last_block_grows_in_place_and_others_do_not() {
        let mut buf = vec![0u64; 64];
        let b = bump_over(&mut buf);
        let x = b.alloc(layout(8, 8)).unwrap();
        let y = b.alloc(layout(8, 8)).unwrap();
        assert!(!b.resize_in_place(x, 8, 16));
        assert!(b.resize_in_place(y, 8, 64));
        assert_eq!(b.alloc(layout(8, 8)).unwrap() as usize, y as usize + 64);
    }

    #[test]
    fn a_full_region_or_a_large_block_falls_back() {
        let mut buf = vec![0u64; 4];
        let b = bump_over(&mut buf);
        assert!(b.alloc(layout(24, 8)).is_some());
        assert!(b.alloc(layout(16, 8)).is_none());
        let mut big = vec![0u64; LARGE];
        let b = bump_over(&mut big);
        assert!(b.alloc(layout(LARGE, 8)).is_none());
        assert!(Bump::empty().alloc(layout(8, 8)).is_none());
    }

    #[test]
    fn the_global_allocator_keeps_contents_across_moves() {
        one_shot();
        let mut v: Vec<u32> = Vec::new();
        let mut s = String::new();
        for i in 0..10_000u32 {
            v.push(i);
            s.push(char::from(b'a' + (i % 26) as u8));
        }
        assert!(v.iter().enumerate().all(|(i, &x)| x as usize == i));
        assert!(
            s.bytes()
                .enumerate()
                .all(|(i, c)| c == b'a' + (i % 26) as u8)
        );
        let z: Vec<u8> = vec![0; 100];
        assert!(z.iter().all(|&b| b == 0));
    }
}
