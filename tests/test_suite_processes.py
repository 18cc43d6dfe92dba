"""The suite checks its own children: a process a test starts and leaves running is found at the
end of the session (conftest.no_process_outlives_the_suite), also when it left the test's
process group and its parent died."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from .conftest import RUN_MARK, marked_processes


def test_suite_finds_a_process_a_test_left_running() -> None:
    mark = os.environ[RUN_MARK]
    # a grandchild in a session of its own, whose parent exits at once: reparented, like an orphaned server
    script = (
        "import subprocess as s; "
        "print(s.Popen(['sleep', '60'], start_new_session=True, stdout=s.DEVNULL, stderr=s.DEVNULL).pid)"
    )
    starter = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    orphan = int(starter.stdout)
    try:
        for _ in range(100):  # the child may still be between fork and exec when its parent returns
            if orphan in marked_processes(mark):
                break
            time.sleep(0.05)
        assert orphan in marked_processes(mark)
    finally:
        os.kill(orphan, 9)
    for _ in range(50):  # reaped by its new parent, not by us: wait until it is gone
        if orphan not in marked_processes(mark):
            break
        time.sleep(0.1)
    assert orphan not in marked_processes(mark)
