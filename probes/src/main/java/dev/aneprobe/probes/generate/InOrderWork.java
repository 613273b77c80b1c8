package dev.aneprobe.probes.generate;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Applies a function to every item on a few threads and hands the results to one consumer in the items' order.
 *
 * <p>Each worker takes the next item as soon as it is free, without waiting for the consumer, while fewer than
 * {@code ahead} results wait for it; the item the consumer needs next is always taken at once. So the workers stay
 * busy whatever the mix of long and short items, and what waits is at most {@code ahead} results (keep them
 * small). An item whose function threw throws the same from {@link #next} when its turn comes, after every result
 * before it was handed over.
 */
final class InOrderWork<I, R> implements Iterator<R>, AutoCloseable {
    private final List<I> items;
    private final Function<I, R> work;
    private final int ahead;
    private final ExecutorService workers;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Outcomes by item index: a result, or what the function threw; cleared once handed over. */
    private final Object[] outcomes;
    private final boolean[] failed;
    private int taken;
    private int handed;
    private boolean closed;

    InOrderWork(List<I> items, Function<I, R> work, int threads, int ahead, String threadName) {
        this.items = items;
        this.work = work;
        this.ahead = ahead;
        this.outcomes = new Object[items.size()];
        this.failed = new boolean[items.size()];
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threads; i++) {
            workers.execute(this::workLoop);
        }
    }

    private void workLoop() {
        while (true) {
            int index;
            lock.lock();
            try {
                while (!closed && taken < items.size() && taken != handed && taken - handed >= ahead) {
                    changed.await();
                }
                if (closed || taken >= items.size()) {
                    return;
                }
                index = taken++;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            Object outcome;
            boolean threw = false;
            try {
                outcome = Objects.requireNonNull(work.apply(items.get(index)), "no result");
            } catch (RuntimeException | Error e) {
                outcome = e;
                threw = true;
            }
            lock.lock();
            try {
                outcomes[index] = outcome;
                failed[index] = threw;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public boolean hasNext() {
        return handed < items.size();
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Object outcome;
        boolean threw;
        lock.lock();
        try {
            while (outcomes[handed] == null) {
                changed.await();
            }
            outcome = outcomes[handed];
            threw = failed[handed];
            outcomes[handed] = null;
            handed++;
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException("interrupted", e);
        } finally {
            lock.unlock();
        }
        if (threw && outcome instanceof RuntimeException) {
            throw (RuntimeException) outcome;
        }
        if (threw) {
            throw new IllegalStateException((Error) outcome);
        }
        return (R) outcome;
    }

    /**
     * Stops the workers: items not yet taken are not worked on, and those being worked on are finished (or
     * interrupted) before this returns, so nothing writes after it (the caller may then delete what they wrote).
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(1, TimeUnit.MINUTES); // a probe takes well under a second to build
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
