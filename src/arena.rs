//! The allocator of the executable: the system's, except during a one-shot query (`recommend`,
//! `search`, `itinerary`), whose small blocks come from an arena.
//!
//! Why: a query allocates about 2 MB in some 20,000 small blocks (decoded strings, vectors of
//! scores) and exits. The system allocator's bookkeeping for them (splitting and coalescing,
//! consolidation on free) was about a third of the instructions of an itinerary. The arena
//! rounds each block up to a power of two and keeps one list of freed blocks per size: taking
//! or returning a block is about 35 instructions, and freed blocks are used again, so a query
//! touches about as many pages as it holds at once (each first touch of a page is a page
//! fault, about 1.5 microseconds here). It is bounded by [`REGION`], after which blocks come
//! from the system again; large and over-aligned blocks always do. Long-running commands
//! (`serve`, `refresh`, `fetch`, `index`, `guide`, `eval`) never switch it on. README "Speed,
//! measured" has the figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Address space set aside for one query's small blocks; only the pages written count in its
/// resident memory.
const REGION: usize = 64 << 20;

/// Blocks from this size up always come from the system.
const LARGE: usize = 64 << 10;

/// The smallest block (and the alignment of every block).
const MIN: usize = 16;

/// Block sizes: 16 bytes, 32, ... up to [`LARGE`].
const CLASSES: usize = (LARGE / MIN).trailing_zeros() as usize + 1;

/// What the lock guards.
struct State {
    /// The first byte never handed out.
    top: usize,
    /// The highest `top` has been: bytes from here on were never written (still zero).
    high: usize,
    /// Per size class, the first freed block; each freed block holds the address of the next
    /// (0 ends the list).
    free: [usize; CLASSES],
}

/// Blocks of a power-of-two size over one region: a freed block goes on its size's list (or,
/// when it is the last one handed out, back to the unused rest); a new block comes from its
/// size's list, else from the rest. A spin lock serialises them: queries are single-threaded,
/// so it is never contended in practice.
pub struct Pool {
    /// The region (set once; 0 while there is none).
    start: AtomicUsize,
    end: AtomicUsize,
    lock: AtomicBool,
    state: UnsafeCell<State>,
}

// SAFETY: `state` is only touched while `lock` is held (see `with_state`).
unsafe impl Sync for Pool {}

/// The size class of a block for `layout` and that class's size; `None` for blocks the
/// system serves (large or over-aligned).
fn class(layout: Layout) -> Option<(usize, usize)> {
    if layout.size() >= LARGE || layout.align() > MIN {
        return None;
    }
    let size = layout.size().max(MIN).next_power_of_two();
    Some(((size / MIN).trailing_zeros() as usize, size))
}

impl Pool {
    pub const fn empty() -> Self {
        Self {
            start: AtomicUsize::new(0),
            end: AtomicUsize::new(0),
            lock: AtomicBool::new(false),
            state: UnsafeCell::new(State {
                top: 0,
                high: 0,
                free: [0; CLASSES],
            }),
        }
    }

    /// Starts handing out blocks from `region` (once; later calls are ignored).
    ///
    /// # Safety
    /// `region` must be valid for reads and writes of `len` bytes for the rest of the program,
    /// aligned to [`MIN`], all zero, and used by nothing else.
    pub unsafe fn begin(&self, region: *mut u8, len: usize) {
        let start = region as usize;
        self.with_state(|st| {
            if self.start.load(Ordering::Relaxed) != 0 {
                return;
            }
            st.top = start;
            st.high = start;
            self.end.store(start + len, Ordering::Relaxed);
            // Published last: a thread that sees `start` also sees `end`.
            self.start.store(start, Ordering::Release);
        });
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        while self
            .lock
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
        // SAFETY: the lock is held, so no one else touches the state until it is released.
        let out = f(unsafe { &mut *self.state.get() });
        self.lock.store(false, Ordering::Release);
        out
    }

    /// Whether `ptr` was handed out by this arena.
    pub fn owns(&self, ptr: *mut u8) -> bool {
        let start = self.start.load(Ordering::Acquire);
        let p = ptr as usize;
        start != 0 && p >= start && p < self.end.load(Ordering::Relaxed)
    }

    /// A block for `layout`, and whether its bytes are all zero (never written); `None` when
    /// there is no region, it is full, or the system serves such blocks.
    pub fn alloc(&self, layout: Layout) -> Option<(*mut u8, bool)> {
        let (c, size) = class(layout)?;
        if self.start.load(Ordering::Acquire) == 0 {
            return None;
        }
        let end = self.end.load(Ordering::Relaxed);
        self.with_state(|st| {
            let head = st.free[c];
            if head != 0 {
                // SAFETY: a freed block of this arena holds the next block's address.
                st.free[c] = unsafe { *(head as *const usize) };
                return Some((head as *mut u8, false));
            }
            let at = st.top;
            let next = at.checked_add(size).filter(|&n| n <= end)?;
            st.top = next;
            let fresh = at >= st.high;
            st.high = st.high.max(next);
            Some((at as *mut u8, fresh))
        })
    }

    /// Takes back the block at `ptr` that was handed out for `layout`.
    ///
    /// # Safety
    /// `ptr` must be a live block of this arena handed out for a layout of the same size class.
    pub unsafe fn free(&self, ptr: *mut u8, layout: Layout) {
        let Some((c, size)) = class(layout) else {
            return;
        };
        let p = ptr as usize;
        self.with_state(|st| {
            if p + size == st.top {
                st.top = p;
            } else {
                // SAFETY: the block is ours, unused from now on, and at least 16 bytes.
                unsafe { *(p as *mut usize) = st.free[c] };
                st.free[c] = p;
            }
        });
    }

    /// Whether the block at `ptr` (for `layout`) can hold `new` bytes where it stands: it
    /// already has room, or it is the last block handed out and the region has room after it
    /// (then it grows).
    pub fn resize_in_place(&self, ptr: *mut u8, layout: Layout, new: usize) -> bool {
        let (Some((_, old)), Ok(to)) =
            (class(layout), Layout::from_size_align(new, layout.align()))
        else {
            return false;
        };
        let Some((_, size)) = class(to) else {
            return false;
        };
        if size == old {
            return true;
        }
        let p = ptr as usize;
        let end = self.end.load(Ordering::Relaxed);
        self.with_state(|st| {
            if p + old != st.top || p + size > end || size < old {
                return false;
            }
            st.top = p + size;
            st.high = st.high.max(st.top);
            true
        })
    }
}

static POOL: Pool = Pool::empty();

/// The executable's global allocator (see the module doc).
pub struct Arena;

/// Switches small blocks to the arena for the rest of the process. Blocks allocated before stay
/// the system's and are freed to it. Without the region (the system refused it) nothing changes.
pub fn one_shot() {
    let Ok(layout) = Layout::from_size_align(REGION, MIN) else {
        return;
    };
    // SAFETY: the layout is non-zero; the region is zeroed, never freed and used only by POOL.
    // At the system's own alignment this is `calloc`, which for a block this large maps fresh
    // pages without writing them (a larger alignment would write all 64 MB of zeros).
    unsafe {
        let region = System.alloc_zeroed(layout);
        if !region.is_null() {
            POOL.begin(region, REGION);
        }
    }
}

// SAFETY: every block is either the system's (allocated, resized and freed by `System`) or
// the arena's (inside the region; a block is handed out again only after it was freed).
unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match POOL.alloc(layout) {
            Some((p, _)) => p,
            // SAFETY: forwarded with the caller's guarantees.
            None => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match POOL.alloc(layout) {
            Some((p, fresh)) => {
                if !fresh {
                    // SAFETY: `p` is valid for `layout.size()` bytes.
                    unsafe { p.write_bytes(0, layout.size()) };
                }
                p
            }
            // SAFETY: forwarded with the caller's guarantees.
            None => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if POOL.owns(ptr) {
            // SAFETY: the arena's live block, freed with the layout it was allocated with.
            unsafe { POOL.free(ptr, layout) }
        } else {
            // SAFETY: not the arena's, so the system's, with the caller's guarantees.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !POOL.owns(ptr) {
            // SAFETY: the system's block, with the caller's guarantees.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        if POOL.resize_in_place(ptr, layout, new_size) {
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

    fn pool_over(buf: &mut [u128]) -> Pool {
        let b = Pool::empty();
        // SAFETY: the buffer is zero, aligned to 16 bytes and outlives the test's use of `b`.
        unsafe { b.begin(buf.as_mut_ptr().cast(), buf.len() * 16) };
        b
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    fn at(b: &Pool, size: usize) -> usize {
        b.alloc(layout(size, 8)).unwrap().0 as usize
    }

    #[test]
    fn blocks_are_aligned_sized_by_class_and_do_not_overlap() {
        let mut buf = vec![0u128; 32];
        let b = pool_over(&mut buf);
        let x = at(&b, 3);
        let y = at(&b, 17);
        let z = at(&b, 1);
        assert!([x, y, z].iter().all(|p| p.is_multiple_of(MIN)));
        assert_eq!((y - x, z - y), (16, 32));
        assert!(b.owns(x as *mut u8) && b.owns(z as *mut u8));
        assert!(!b.owns(std::ptr::null_mut()));
    }

    #[test]
    fn freed_blocks_serve_their_size_again() {
        let mut buf = vec![0u128; 32];
        let b = pool_over(&mut buf);
        let x = at(&b, 16);
        let y = at(&b, 32);
        let _last = at(&b, 16);
        // SAFETY: live blocks of `b`, freed with their sizes.
        unsafe {
            b.free(x as *mut u8, layout(16, 8));
            b.free(y as *mut u8, layout(20, 8));
        }
        assert_eq!(at(&b, 9), x);
        assert_eq!(at(&b, 30), y);
        // Each list is empty again: new blocks come after the last one.
        assert!(at(&b, 16) > y);
    }

    #[test]
    fn the_last_block_gives_its_bytes_back_and_grows_in_place() {
        let mut buf = vec![0u128; 32];
        let b = pool_over(&mut buf);
        let x = at(&b, 16);
        let y = at(&b, 16);
        assert!(!b.resize_in_place(x as *mut u8, layout(16, 8), 17));
        assert!(b.resize_in_place(x as *mut u8, layout(16, 8), 12));
        assert!(b.resize_in_place(y as *mut u8, layout(16, 8), 64));
        assert_eq!(at(&b, 16), y + 64);
        // SAFETY: the last block, freed with its size.
        unsafe { b.free((y + 64) as *mut u8, layout(16, 8)) };
        assert_eq!(at(&b, 16), y + 64);
    }

    #[test]
    fn only_never_written_blocks_count_as_zero() {
        let mut buf = vec![0u128; 32];
        let b = pool_over(&mut buf);
        let (x, fresh) = b.alloc(layout(16, 8)).unwrap();
        assert!(fresh);
        // SAFETY: a live block of 16 bytes, then freed with its size.
        unsafe {
            x.write_bytes(0xff, 16);
            b.free(x, layout(16, 8));
        }
        // Handed back to the rest (it was last) and out again: written before.
        assert_eq!(b.alloc(layout(16, 8)), Some((x, false)));
    }

    #[test]
    fn a_full_region_a_large_or_an_over_aligned_block_falls_back() {
        let mut buf = vec![0u128; 2];
        let b = pool_over(&mut buf);
        assert!(b.alloc(layout(24, 8)).is_some());
        assert!(b.alloc(layout(1, 1)).is_none());
        let mut big = vec![0u128; LARGE / 8];
        let b = pool_over(&mut big);
        assert!(b.alloc(layout(LARGE, 8)).is_none());
        assert!(b.alloc(layout(8, 32)).is_none());
        assert!(Pool::empty().alloc(layout(8, 8)).is_none());
    }

    #[test]
    fn the_global_allocator_keeps_contents_and_zeroes() {
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
        for _ in 0..3 {
            let mut dirty = vec![0xffu8; 100];
            dirty[0] = 1;
            drop(dirty);
            let z: Vec<u8> = vec![0; 100];
            assert!(z.iter().all(|&b| b == 0));
        }
    }
}
