"""A real local Neo4j 5.26 Community server without Docker (DESIGN section 6).

The jars come from Maven Central (``mvn dependency:build-classpath`` on the ``pom.xml`` beside
this module) and ``Launcher.java`` (also beside it, package data) runs an embedded DBMS with Bolt
on 127.0.0.1, auth disabled. The resolved classpath and the compiled launcher are kept in a work
directory (``~/.local/share/chanjiao/neo4j-local`` unless given), named by a digest of their
source so that a changed pom or launcher is rebuilt and several processes can share it; nothing
is written beside the package. One server process per data directory; the process is detached
(own session), logs to ``data_dir/neo4j.log`` and records its pid in ``data_dir/neo4j.pid`` so
that :func:`stop` can find it later.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

from chanjiao.settings import DEFAULT_DATA_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
POM_FILE = PACKAGE_DIR / "pom.xml"
LAUNCHER_SOURCE = PACKAGE_DIR / "Launcher.java"
DEFAULT_WORK_DIR = DEFAULT_DATA_DIR / "neo4j-local"
LAUNCHER_CLASS = "Launcher"
PID_FILE_NAME = "neo4j.pid"
LOG_FILE_NAME = "neo4j.log"
HOST = "127.0.0.1"
POLL_INTERVAL = 0.5
LOG_TAIL_LINES = 40
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
)

# Servers started by this interpreter, kept so they can be waited on (reaped).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class LocalNeo4j:
    """A running local server: its Bolt URI, process id and data directory."""

    uri: str
    pid: int
    data_dir: Path


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def require_tool(name: str) -> str:
    """Return the full path of an executable, or fail naming the missing tool."""
    path = shutil.which(name)
    if path is None:
        msg = f"'{name}' was not found on PATH; the local Neo4j server needs it (JDK 17 and Maven)"
        raise RuntimeError(msg)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _classpath_is_current(classpath_file: Path) -> bool:
    if not classpath_file.is_file():
        return False
    entries = classpath_file.read_text(encoding="utf-8").strip().split(os.pathsep)
    return entries != [""] and all(Path(entry).exists() for entry in entries)


def build_classpath(work_dir: Path = DEFAULT_WORK_DIR) -> Path:
    """Resolve the Neo4j jars with Maven once per pom; return the cached classpath file."""
    classpath_file = work_dir / f"classpath-{_digest(POM_FILE)}.txt"
    if _classpath_is_current(classpath_file):
        return classpath_file
    require_tool("java")
    mvn = require_tool("mvn")
    work_dir.mkdir(parents=True, exist_ok=True)
    partial = classpath_file.with_name(f"{classpath_file.name}.{os.getpid()}.tmp")
    command = [mvn, "-B", "-q", "-f", str(POM_FILE), "dependency:build-classpath", f"-Dmdep.outputFile={partial}"]
    result = subprocess.run(command, cwd=work_dir, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not partial.is_file():
        partial.unlink(missing_ok=True)
        output = (result.stdout + result.stderr).strip()[-4000:]
        msg = f"mvn dependency:build-classpath failed (exit {result.returncode}):\n{output}"
        raise RuntimeError(msg)
    partial.replace(classpath_file)
    return classpath_file


def _compile_launcher(classpath: str, work_dir: Path) -> Path | None:
    """The directory holding Launcher.class, compiled once per source; None if javac is missing."""
    javac = shutil.which("javac")
    if javac is None:
        return None
    classes = work_dir / f"classes-{_digest(LAUNCHER_SOURCE)}"
    if (classes / f"{LAUNCHER_CLASS}.class").is_file():
        return classes
    work_dir.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{classes.name}.", dir=work_dir))
    command = [javac, "-nowarn", "-cp", classpath, "-d", str(partial), str(LAUNCHER_SOURCE)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        msg = f"javac failed on {LAUNCHER_SOURCE}:\n{result.stdout}{result.stderr}"
        raise RuntimeError(msg)
    try:
        partial.rename(classes)
    except OSError:  # another process compiled it meanwhile
        shutil.rmtree(partial, ignore_errors=True)
    return classes


def _launcher_command(data_dir: Path, port: int, heap: str, work_dir: Path) -> list[str]:
    java = require_tool("java")
    classpath = build_classpath(work_dir).read_text(encoding="utf-8").strip()
    classes = _compile_launcher(classpath, work_dir)
    if classes is not None:
        program = ["-cp", f"{classes}{os.pathsep}{classpath}", LAUNCHER_CLASS]
    else:  # JDK 17 source-file mode: compiles in memory on every start
        program = ["-cp", classpath, str(LAUNCHER_SOURCE)]
    return [java, *JVM_FLAGS, f"-Xmx{heap}", *program, str(data_dir), str(port)]


def _read_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / PID_FILE_NAME).read_text(encoding="utf-8").strip())
    except (FileNotFoundError, ValueError):
        return None


def _is_zombie(pid: int) -> bool:
    """Whether pid has exited but its parent (another process) has not reaped it."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] == "Z"


def _is_alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _reap_children() -> None:
    """Forget servers of this interpreter that have exited, however they were stopped."""
    for pid, child in list(_CHILDREN.items()):
        if child.poll() is not None:
            del _CHILDREN[pid]


def _is_server_of(pid: int, data_dir: Path) -> bool:
    """Whether pid is alive and (where /proc tells) our launcher for data_dir."""
    if not _is_alive(pid):
        return False
    cmdline = Path("/proc") / str(pid) / "cmdline"
    try:
        args = cmdline.read_bytes().split(b"\0")
    except OSError:
        return not Path("/proc/self").exists()
    return str(data_dir).encode() in args and any(LAUNCHER_CLASS.encode() in arg for arg in args)


def _log_tail(log_path: Path) -> str:
    try:
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _can_connect(uri: str) -> bool:
    try:
        with GraphDatabase.driver(uri, auth=None, connection_timeout=POLL_INTERVAL * 4) as driver:
            driver.verify_connectivity()
    except (DriverError, Neo4jError, OSError):
        return False
    return True


def _wait_until_ready(server: LocalNeo4j, timeout: float) -> None:
    log_path = server.data_dir / LOG_FILE_NAME
    deadline = time.monotonic() + timeout
    while not _can_connect(server.uri):
        if not _is_alive(server.pid):
            (server.data_dir / PID_FILE_NAME).unlink(missing_ok=True)
            msg = f"local Neo4j exited before it was ready; last log lines:\n{_log_tail(log_path)}"
            raise RuntimeError(msg)
        if time.monotonic() > deadline:
            stop(server.data_dir)
            msg = f"local Neo4j not ready after {timeout:g} s; last log lines:\n{_log_tail(log_path)}"
            raise RuntimeError(msg)
        time.sleep(POLL_INTERVAL)


def start(
    data_dir: Path, port: int = 7687, heap: str = "1g", timeout: float = 120, work_dir: Path = DEFAULT_WORK_DIR
) -> LocalNeo4j:
    """Launch a detached Neo4j server on 127.0.0.1:port and wait until Bolt answers; `work_dir`
    keeps the classpath and the compiled launcher."""
    _reap_children()
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    running = _read_pid(data_dir)
    if running is not None and _is_server_of(running, data_dir):
        msg = f"a local Neo4j (pid {running}) already runs in {data_dir}; stop it first"
        raise RuntimeError(msg)
    command = _launcher_command(data_dir, port, heap, work_dir)
    with (data_dir / LOG_FILE_NAME).open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=data_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _CHILDREN[process.pid] = process
    (data_dir / PID_FILE_NAME).write_text(f"{process.pid}\n", encoding="utf-8")
    server = LocalNeo4j(uri=f"bolt://{HOST}:{port}", pid=process.pid, data_dir=data_dir)
    _wait_until_ready(server, timeout)
    return server


def _wait_for_exit(pid: int, timeout: float) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True
    deadline = time.monotonic() + timeout
    while _is_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM pid, wait for it, SIGKILL it if it outlives timeout."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        if not _wait_for_exit(pid, timeout):
            os.kill(pid, signal.SIGKILL)
            _wait_for_exit(pid, timeout)


def stop(data_dir: Path, timeout: float = 60) -> bool:
    """Stop the server of data_dir (SIGTERM, SIGKILL after timeout); True if one ran."""
    _reap_children()
    data_dir = data_dir.resolve()
    pid = _read_pid(data_dir)
    stopped = pid is not None and _is_server_of(pid, data_dir)
    if pid is not None:
        if stopped:
            _terminate(pid, timeout)
        _CHILDREN.pop(pid, None)
    (data_dir / PID_FILE_NAME).unlink(missing_ok=True)
    return stopped
