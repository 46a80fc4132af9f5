//! The write timeout of `serve`'s connections: a stream that fails a write once the
//! socket has accepted no bytes for a while.
//!
//! hyper has a timeout for reading a request head but none for writing: a client that
//! sends whole requests and never reads the answers would keep its connection, and the
//! task and buffers behind it, forever. [`WriteTimeout`] sits between the `TcpStream`
//! and hyper (and so also under the live-reload WebSocket, which hyper hands the same
//! stream once upgraded).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// A stream whose writes fail with [`io::ErrorKind::TimedOut`] once a write (or flush)
/// has been pending, with the socket accepting no bytes, for longer than `timeout`.
///
/// The clock runs only while a write is pending: it starts when a write returns
/// `Pending` and stops as soon as one makes progress, so an idle connection (nothing to
/// write, such as a kept-alive connection between requests or a quiet live-reload
/// socket) never times out, and neither does a client that reads slowly but keeps
/// reading. "Slowly" has a floor: the kernel reports a full socket writable again only
/// once a good part of its send buffer has drained (on loopback, with Linux's default
/// buffers, a reader taking 256 KiB every 40 ms left writes pending for up to 240 ms),
/// so a client must drain about that much within the timeout. Reading does not touch
/// the clock. A write that is left pending is not given
/// up by hyper or by the WebSocket layer (both keep the bytes and try again before
/// anything else), so the clock only ever measures a socket that took nothing.
pub(crate) struct WriteTimeout<S> {
    inner: S,
    timeout: Duration,
    /// The deadline of the current stall; created at the first one, reset at each next.
    stall: Option<Pin<Box<Sleep>>>,
    /// Whether a write is pending now (then `stall` holds its deadline).
    stalled: bool,
}

impl<S> WriteTimeout<S> {
    /// `inner`, whose writes fail after `timeout` without progress.
    pub(crate) fn new(inner: S, timeout: Duration) -> WriteTimeout<S> {
        WriteTimeout { inner, timeout, stall: None, stalled: false }
    }

    /// Passes on what a write-side call of the inner stream returned; for `Pending`,
    /// starts the clock (if it is not running yet) and fails once it has run out.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = false;
            return poll;
        }
        if !self.stalled {
            self.stalled = true;
            let deadline = Instant::now() + self.timeout;
            match &mut self.stall {
                Some(sleep) => sleep.as_mut().reset(deadline),
                None => self.stall = Some(Box::pin(tokio::time::sleep_until(deadline))),
            }
        }
        let Some(sleep) = &mut self.stall else { return Poll::Pending };
        ready!(sleep.as_mut().poll(cx));
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("the client took no bytes for {:?}", self.timeout),
        )))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteTimeout<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteTimeout<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.watch(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.watch(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.watch(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::io::Read;
    use std::net::TcpListener;

    use tokio::net::TcpStream;

    const TIMEOUT: Duration = Duration::from_millis(200);

    /// A connected pair: the guarded tokio end, with a small send buffer (so a write is
    /// pending whenever the peer has not read for a moment), and the plain std end of
    /// the peer.
    async fn pair() -> (WriteTimeout<TcpStream>, std::net::TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_send_buffer_size(64 * 1024).unwrap();
        let stream = socket.connect(listener.local_addr().unwrap()).await.unwrap();
        let (peer, _) = listener.accept().unwrap();
        (WriteTimeout::new(stream, TIMEOUT), peer)
    }

    /// Writes `total` bytes in chunks; the error of the first failed write, if any.
    async fn write(stream: &mut WriteTimeout<TcpStream>, total: usize) -> io::Result<()> {
        let chunk = vec![b'x'; 64 * 1024];
        let mut written = 0;
        while written < total {
            let left = &chunk[..chunk.len().min(total - written)];
            let n = std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_write(cx, left)).await?;
            written += n;
        }
        std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_flush(cx)).await
    }

    #[tokio::test]
    async fn a_write_fails_once_the_peer_took_nothing_for_the_timeout() {
        let (mut stream, _peer) = pair().await;
        let started = std::time::Instant::now();
        let error = write(&mut stream, 1 << 30).await.expect_err("the peer never reads");
        let after = started.elapsed();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(after >= TIMEOUT && after < TIMEOUT + Duration::from_secs(3), "{after:?}");
    }

    #[tokio::test]
    async fn a_peer_that_reads_slowly_but_keeps_reading_gets_everything() {
        let (mut stream, mut peer) = pair().await;
        const TOTAL: usize = 4 << 20;
        // Reads a little at a time, pausing for a fifth of the timeout between reads.
        let reader = std::thread::spawn(move || {
            let mut buf = vec![0; 256 * 1024];
            let mut read = 0;
            while read < TOTAL {
                std::thread::sleep(TIMEOUT / 5);
                match peer.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => read += n,
                }
            }
            read
        });
        let started = std::time::Instant::now();
        write(&mut stream, TOTAL).await.expect("no write times out");
        // The writes were pending far longer than the timeout in all, never in one go.
        let took = started.elapsed();
        assert!(took > TIMEOUT * 2, "writing took only {took:?}");
        drop(stream);
        assert_eq!(reader.join().unwrap(), TOTAL);
    }

    #[tokio::test]
    async fn an_idle_stream_never_times_out() {
        let (mut stream, mut peer) = pair().await;
        tokio::time::sleep(TIMEOUT * 2).await;
        write(&mut stream, 10).await.expect("a write after a long idle time");
        let mut buf = [0; 10];
        peer.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"xxxxxxxxxx");
    }
}
