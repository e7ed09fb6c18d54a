"""One submission, one sealed process tree: isolation for the student's code while it is graded.

Each submission runs in a process of its own (the *student process*), started by a small
*supervisor* that runs no student code. Two kinds of isolation, the stronger whenever the system
offers it (:func:`available` says which; ``SOCIALKIT_GRADING_ISOLATION=session`` forces the
weaker one, which the tests use to check both paths):

``namespaces`` (Linux with user namespaces; no root needed)
    The student process is PID 1 of new user, PID, mount, network, IPC and UTS namespaces. It
    sees only its own processes (it cannot signal the grader, the judge or another submission),
    has no network, and sees the whole file system **read-only** except a private, size-limited
    ``/tmp`` (its working folder). The grader's state is hidden behind empty mounts: the output
    folder (records, grades, the signing key), the submissions folder, the autograder zip's
    folder and the exercise masters. Its capabilities are dropped before student code runs, so
    it cannot undo any of this. When it ends, the kernel ends every process in its PID
    namespace, double-forked daemons included. Run as root, it also gets a pids cgroup as its
    process-count limit (``RLIMIT_NPROC`` does not bind root).
``session`` (macOS, or Linux without user namespaces)
    The student process leads a new session and process group, in a private temporary
    folder. On Linux the supervisor is a *child subreaper*, so every process the student's
    starts stays its descendant, even after a double fork and ``setsid``, and is killed when it
    ends; elsewhere the supervisor kills the session and scans for processes carrying the
    sandbox's token in their environment. Files and other processes of the same user stay
    reachable: that is the limit of this mode, and the instructor guide says so.

In both, the student process gets ``resource.setrlimit`` limits (address space, CPU time, file
size, processes, open files, no core dumps), a minimal environment (nothing of the grader's),
only the pipes it needs, and one thread per numeric library.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import secrets
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Isolation", "SandboxSpec", "available", "launch", "stop", "sweep", "make_cgroup",
           "seal_judge_process", "remove_cgroup", "remove_stale_cgroups", "close_inherited", "FORCE_VARIABLE",
           "TOKEN_VARIABLE", "SETUP_FAILED"]

#: set to "session" to use the weaker isolation even where namespaces work (tests, debugging)
FORCE_VARIABLE = "SOCIALKIT_GRADING_ISOLATION"
#: every process of a sandbox carries this variable (its value is the sandbox's token)
TOKEN_VARIABLE = "SOCIALKIT_GRADING_SANDBOX"
#: exit code of a supervisor whose sandbox could not be set up (not the student's doing)
SETUP_FAILED = 97
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")

_CLONE_NEWNS, _CLONE_NEWUTS, _CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
_CLONE_NEWUSER, _CLONE_NEWPID, _CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_BIND, _MS_REC, _MS_PRIVATE = 4096, 16384, 1 << 18
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_CAPBSET_DROP = 1, 4, 24
_PR_SET_CHILD_SUBREAPER, _PR_SET_NO_NEW_PRIVS = 36, 38
_SYS_MOUNT_SETATTR, _AT_FDCWD, _AT_RECURSIVE, _MOUNT_ATTR_RDONLY = 442, -100, 0x8000, 1


@dataclass(frozen=True)
class Isolation:
    """Which isolation grading uses on this machine, in words an instructor can read."""

    kind: str            # "namespaces" or "session"
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} ({self.detail})"


@dataclass
class SandboxSpec:
    """What one sandbox needs; built by the runner, read by the supervisor."""

    kind: str                                # "namespaces" or "session"
    memory_bytes: int
    cpu_seconds: int
    file_bytes: int = 256 << 20
    processes: int = 64
    tmp_bytes: int = 256 << 20
    hide: list[str] = field(default_factory=list)
    token: str = field(default_factory=lambda: secrets.token_hex(12))
    cgroup: str | None = None                # a pids cgroup folder (root only)
    workdir: str | None = None               # session mode: the private folder (made by the runner)


# --- the C library ---------------------------------------------------------------------------
_LIBC = None


def _libc():
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return _LIBC


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def _prctl(option: int, arg: int = 0) -> int:
    return _libc().prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0),
                         ctypes.c_ulong(0))


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc().mount(source.encode(), os.fsencode(target), fstype.encode() if fstype else None,
                         ctypes.c_ulong(flags), data.encode() if data else None), f"mount {target}")


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _read_only_everywhere() -> bool:
    """Make every mount read-only: in one call (mount_setattr, Linux 5.12+), or else mount by
    mount, keeping each one's other flags. Returns whether every mount is now read-only."""
    attr = _MountAttr(_MOUNT_ATTR_RDONLY, 0, 0, 0)
    result = _libc().syscall(_SYS_MOUNT_SETATTR, _AT_FDCWD, b"/", _AT_RECURSIVE, ctypes.byref(attr),
                             ctypes.c_size_t(ctypes.sizeof(attr)))
    if result == 0:
        return True
    flag_bits = {"nosuid": _MS_NOSUID, "nodev": _MS_NODEV, "noexec": _MS_NOEXEC, "noatime": 1024,
                 "nodiratime": 2048, "relatime": 1 << 21}
    done = True
    try:
        with open("/proc/self/mountinfo") as f:
            points = [line.split()[4:6] for line in f]
    except OSError:
        return False
    for point, options in sorted(points, key=lambda p: p[0].count("/")):
        point = point.encode().decode("unicode_escape")
        flags = _MS_BIND | 32 | _MS_RDONLY  # MS_REMOUNT
        for option in options.split(","):
            flags |= flag_bits.get(option, 0)
        try:
            _mount("none", point, None, flags)
        except OSError:
            done = False
    return done


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> None:
    """No capability left, none to regain (bounding set emptied, no new privileges)."""
    for cap in range(64):
        _prctl(_PR_CAPBSET_DROP, cap)
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()
    _check(_libc().capset(ctypes.byref(header), data), "capset")
    _check(_prctl(_PR_SET_NO_NEW_PRIVS, 1), "no_new_privs")


# --- limits and environment shared by both kinds ------------------------------------------------
def _user_processes() -> int:
    """How many processes this user runs now (RLIMIT_NPROC counts them all, outside namespaces)."""
    try:
        import psutil

        me = os.getuid()
        return sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == me)
    except Exception:  # noqa: BLE001
        return 4096


def _set_limits(spec: SandboxSpec) -> None:
    def limit(which, value):
        try:
            soft, hard = resource.getrlimit(which)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass
    limit(resource.RLIMIT_AS, spec.memory_bytes)
    limit(resource.RLIMIT_CPU, spec.cpu_seconds)
    limit(resource.RLIMIT_FSIZE, spec.file_bytes)
    limit(resource.RLIMIT_CORE, 0)
    limit(resource.RLIMIT_NOFILE, 256)
    if hasattr(resource, "RLIMIT_NPROC"):  # per sandbox in a user namespace, per user outside
        extra = 0 if spec.kind == "namespaces" else _user_processes()
        limit(resource.RLIMIT_NPROC, spec.processes + extra)


def _plain_environment(spec: SandboxSpec, home: str) -> None:
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
    os.environ.clear()
    os.environ.update(keep)
    os.environ.update({"HOME": home, "TMPDIR": home, "IPYTHONDIR": os.path.join(home, ".ipython"),
                       "MPLCONFIGDIR": os.path.join(home, ".matplotlib"), "MPLBACKEND": "Agg",
                       "PYDEVD_DISABLE_FILE_VALIDATION": "1", TOKEN_VARIABLE: spec.token})
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    tempfile.tempdir = home


def seal_judge_process() -> None:
    """For the judge (no sandbox of its own): no process of the same user may read its memory,
    and it dies with the grader's fork server. A no-op where prctl does not exist (not Linux)."""
    try:
        _prctl(_PR_SET_DUMPABLE, 0)
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:  # noqa: BLE001 - not Linux
        pass


def close_inherited(keep: set[int]) -> None:
    """Close every file descriptor above 2 except ``keep``: in particular the ones the fork
    server hands each child (its own liveness pipe among them), so that nothing here keeps the
    fork server, and so this process's cleanup, waiting after the grader has died."""
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")] if os.path.isdir("/proc/self/fd") else range(3, 1024)
    except OSError:
        fds = range(3, 1024)
    for fd in fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _close_other_fds(keep: set[int]) -> None:
    """Point stdin/stdout/stderr at /dev/null, then close every other descriptor but ``keep``."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    close_inherited(keep)


# --- namespaces ------------------------------------------------------------------------------------
def _needed_paths() -> list[Path]:
    """Folders the student process must still read: Python, its packages, the kit."""
    found = {Path(sys.prefix), Path(sys.base_prefix), Path(__file__).resolve().parents[4]}  # the repository
    found |= {Path(p) for p in sys.path if p and os.path.isabs(p)}
    return [p.resolve() for p in found if p.exists()]


def _hideable(path: Path, needed: list[Path]) -> bool:
    return not any(n == path or n.is_relative_to(path) for n in needed)


def _enter_namespaces(spec: SandboxSpec) -> None:
    """In the supervisor: new namespaces; the next fork is PID 1 of the new PID namespace."""
    uid, gid = os.geteuid(), os.getegid()
    if spec.cgroup:
        with open(os.path.join(spec.cgroup, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))
    _check(_libc().unshare(_CLONE_NEWUSER | _CLONE_NEWNS | _CLONE_NEWPID | _CLONE_NEWNET
                           | _CLONE_NEWIPC | _CLONE_NEWUTS), "unshare")
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"0 {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"0 {gid} 1")


def _private_tmp(folder: str, size: int, needed: list[Path]) -> None:
    """An empty tmpfs over ``folder``; what Python and the kit need from inside it (a kit cloned
    under /tmp, say) is bound back into it, read-only."""
    real = Path(folder).resolve()
    inside = [p for p in needed if p.is_relative_to(real)]
    outermost = [p for p in inside if not any(q != p and p.is_relative_to(q) for q in inside)]
    kept = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in outermost if path.is_dir()}
    _mount("tmpfs", folder, "tmpfs", _MS_NOSUID | _MS_NODEV, f"size={size},mode=1777")
    for path, fd in kept.items():
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", str(path), None, _MS_BIND | _MS_REC)
        os.close(fd)
        attr = _MountAttr(_MOUNT_ATTR_RDONLY, 0, 0, 0)
        _check(_libc().syscall(_SYS_MOUNT_SETATTR, _AT_FDCWD, os.fsencode(path), _AT_RECURSIVE,
                               ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr))),
               f"read-only {path}")


def _seal_namespaces(spec: SandboxSpec) -> str:
    """In PID 1 of the new namespaces: the file system view, then no way back. Returns the
    private working folder."""
    _check(_prctl(_PR_SET_PDEATHSIG, signal.SIGKILL), "pdeathsig")
    _mount("none", "/", None, _MS_REC | _MS_PRIVATE)
    _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
    _read_only_everywhere()  # where the kernel cannot, the probe finds out and says so
    size = max(16 << 20, int(spec.tmp_bytes))
    needed = _needed_paths()
    for folder in ("/tmp", "/dev/shm", "/var/tmp"):
        if os.path.isdir(folder):
            _private_tmp(folder, size, needed)
    for target in spec.hide:
        path = Path(target)
        if not path.exists() or not _hideable(path.resolve(), needed):
            continue
        if path.is_dir():
            _mount("tmpfs", str(path), "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC | _MS_RDONLY,
                   "size=4k,mode=755")
        else:
            _mount("/dev/null", str(path), None, _MS_BIND)
    home = "/tmp/work"
    os.makedirs(home, mode=0o700, exist_ok=True)
    _drop_capabilities()
    return home


# --- the supervisor ---------------------------------------------------------------------------------
def _report_setup_failure(conn, error: BaseException) -> None:
    from . import protocol

    try:
        protocol.send(conn, {"event": protocol.SETUP_FAILED, "detail": f"{type(error).__name__}: {error}"[:500]})
    except Exception:  # noqa: BLE001
        pass


def _wait_status(pid: int) -> int:
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            return 0
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        return 100 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99


def _kill_descendants(me: int) -> None:
    import psutil

    for _ in range(50):
        try:
            procs = psutil.Process(me).children(recursive=True)
        except psutil.Error:
            return
        if not procs:
            return
        for proc in procs:
            try:
                proc.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(procs, timeout=2)
        # reap zombies reparented to us (subreaper)
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break


def supervise(spec: SandboxSpec, conns: tuple, target, args: tuple) -> None:
    """The supervisor: the target of the process the runner starts; never runs student code.

    Starts the student process as described in the module docstring, waits for it, makes sure
    nothing it started survives, and exits with its status (``100 + signal`` if it was killed,
    ``SETUP_FAILED`` if the sandbox could not be made).
    """
    student = None
    me = os.getpid()

    def terminate(signum, frame):  # the runner asks us to stop: nothing may outlive us
        if student:
            try:
                os.kill(student, signal.SIGKILL)
            except OSError:
                pass
        if spec.kind == "session":
            _kill_descendants(me)
        os._exit(100 + signal.SIGTERM)

    signal.signal(signal.SIGTERM, terminate)
    if sys.platform.startswith("linux"):  # the grader (and so its fork server) died: clean up
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:
            terminate(signal.SIGTERM, None)
    keep = {c.fileno() for c in conns}
    close_inherited(keep)
    try:
        if spec.kind == "namespaces":
            _enter_namespaces(spec)
        elif sys.platform.startswith("linux"):
            _check(_prctl(_PR_SET_CHILD_SUBREAPER, 1), "subreaper")
    except BaseException as error:  # noqa: BLE001
        _report_setup_failure(conns[0], error)
        os._exit(SETUP_FAILED)
    student = os.fork()
    if student == 0:  # --- the student process ---
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            if spec.kind == "namespaces":
                home = _seal_namespaces(spec)
            else:
                os.setsid()
                home = spec.workdir or tempfile.mkdtemp(prefix="skg-")
            os.chdir(home)
            _plain_environment(spec, home)
            _close_other_fds(keep)
            _set_limits(spec)
        except BaseException as error:  # noqa: BLE001
            _report_setup_failure(conns[0], error)
            os._exit(SETUP_FAILED)
        try:
            target(*conns, *args)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    # --- the supervisor, outside the student's reach ---
    for conn in conns:
        conn.close()
    status = _wait_status(student)
    student = None
    if spec.kind == "session":
        _kill_descendants(me)
    os._exit(status)


# --- the runner's side ------------------------------------------------------------------------------
_AVAILABLE: Isolation | None = None


def _probe_target(conn) -> None:
    writable = False
    try:
        probe = Path(__file__).with_name(f".probe-{os.getpid()}")
        probe.write_text("x")
        probe.unlink()
        writable = True
    except OSError:
        pass
    conn.send_bytes(b"ok-writable" if writable else b"ok")


def _pids_cgroup() -> Path | None:
    """A pids cgroup parent folder this process may create children in (root), or None."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return None
    v1 = Path("/sys/fs/cgroup/pids")
    if (v1 / "cgroup.procs").exists() and os.access(v1, os.W_OK):
        return v1
    return None


def remove_stale_cgroups() -> None:
    """Remove the empty pids cgroups a killed grader left (its pid is in their name and gone)."""
    parent = _pids_cgroup()
    if parent is None:
        return
    for folder in parent.glob("socialkit-grading-*-*"):
        try:
            pid = int(folder.name.split("-")[2])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not Path(f"/proc/{pid}").exists():
            try:
                folder.rmdir()
            except OSError:
                pass


def make_cgroup(limit: int) -> str | None:
    """A fresh pids cgroup with ``pids.max = limit`` (root only); ``None`` if there is none."""
    parent = _pids_cgroup()
    if parent is None:
        return None
    path = parent / f"socialkit-grading-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        path.mkdir()
        (path / "pids.max").write_text(str(int(limit)))
        return str(path)
    except OSError:
        try:
            path.rmdir()
        except OSError:
            pass
        return None


def remove_cgroup(path: str | None) -> None:
    if not path:
        return
    import psutil

    for _ in range(20):
        try:
            pids = [int(p) for p in Path(path, "cgroup.procs").read_text().split()]
        except OSError:
            pids = []
        for pid in pids:
            try:
                psutil.Process(pid).kill()
            except psutil.Error:
                pass
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.1)


def available(ctx=None, *, refresh: bool = False) -> Isolation:
    """The isolation this machine gives (probed once by starting a namespaced sandbox)."""
    global _AVAILABLE
    forced = os.environ.get(FORCE_VARIABLE, "").strip().lower()
    if forced == "session":
        return Isolation("session", _session_detail() + f"; forced by {FORCE_VARIABLE}=session")
    if _AVAILABLE is not None and not refresh:
        return _AVAILABLE
    why = "not Linux"
    if sys.platform.startswith("linux") and ctx is not None:
        import multiprocessing

        parent, child = multiprocessing.Pipe()
        spec = SandboxSpec("namespaces", memory_bytes=4 << 30, cpu_seconds=30)
        proc = ctx.Process(target=supervise, args=(spec, (child,), _probe_target, ()), daemon=True)
        proc.start()
        child.close()
        message = b""
        if parent.poll(60):
            try:
                message = parent.recv_bytes(4096)
            except (EOFError, OSError):
                message = b""
        proc.join(30)
        if proc.is_alive():
            proc.kill()
        if message in (b"ok", b"ok-writable") and proc.exitcode == 0:
            cgroup = " and a pids cgroup" if _pids_cgroup() else ""
            files = ("read-only file system" if message == b"ok" else
                     "file system NOT read-only (this kernel cannot remount it)")
            _AVAILABLE = Isolation("namespaces", f"user, PID, mount, network and IPC namespaces; "
                                                 f"{files}, private /tmp, grader's folders hidden; "
                                                 f"rlimits{cgroup}")
            return _AVAILABLE
        why = message.decode("utf-8", "replace")[:300] or f"exit code {proc.exitcode}"
    elif ctx is None:
        why = "not probed"
    _AVAILABLE = Isolation("session", _session_detail() + f"; namespaces unavailable: {why}")
    return _AVAILABLE


def _session_detail() -> str:
    reaper = "a subreaper supervisor" if sys.platform.startswith("linux") else "session kill and token scan"
    return f"own session and process group, private temporary folder, rlimits, {reaper}"


def launch(ctx, spec: SandboxSpec, conns: tuple, target, args: tuple):
    """Start a sandbox running ``target(*conns, *args)``; returns the supervisor's Process."""
    if spec.kind == "session" and spec.workdir is None:
        spec.workdir = tempfile.mkdtemp(prefix="skg-")
    proc = ctx.Process(target=supervise, args=(spec, conns, target, args), daemon=True)
    proc.start()
    return proc


def stop(proc, spec: SandboxSpec, timeout: float = 5.0) -> None:
    """End a sandbox and everything in it; safe to call more than once."""
    if proc.pid is not None and proc.exitcode is None:
        try:
            os.kill(proc.pid, signal.SIGTERM)
        except OSError:
            pass
        proc.join(timeout)
        if proc.exitcode is None:
            proc.kill()
            proc.join(timeout)
    if spec.kind == "session":
        sweep(spec.token)
    remove_cgroup(spec.cgroup)
    if spec.kind == "session" and spec.workdir:
        shutil.rmtree(spec.workdir, ignore_errors=True)


def sweep(token: str) -> int:
    """Kill every process of this user that carries the sandbox ``token`` in its environment
    (a backstop for the session mode; namespaced sandboxes leave none). Returns how many."""
    import psutil

    found = []
    me = os.getuid()
    for proc in psutil.process_iter(["uids"]):
        try:
            if proc.info["uids"] is None or proc.info["uids"].real != me:
                continue
            if proc.environ().get(TOKEN_VARIABLE) == token:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    for proc in found:
        try:
            proc.kill()
        except psutil.Error:
            pass
    if found:
        psutil.wait_procs(found, timeout=5)
    return len(found)
