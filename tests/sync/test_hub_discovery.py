"""The hub announced by mDNS/DNS-SD on 127.0.0.1 is found by a browser in another Zeroconf
instance, with its address and port but without anything that would let a laptop join;
with another hub on the same network (another branch's, answering first), both are
listed and the branch filter keeps this branch's."""

from __future__ import annotations

from bpjs_field.sync.hub_discovery import Announcement, browse
from harness import free_port


def test_a_hub_announced_on_loopback_is_found_and_other_branches_filtered():
    other_port, port = free_port(), free_port()
    other = Announcement("127.0.0.1", other_port, "laptop-cabang-lain", "KC-0999", "another-branch")
    announced = Announcement("127.0.0.1", port, "laptop-meja-1", "KC-0421", "branch-server-id-1")
    try:
        found = browse("127.0.0.1", seconds=10.0)
        mine = [h for h in found if h.port == port]
        assert len(mine) == 1
        assert other_port in {h.port for h in found}  # every hub that answered, not the first
        hub = mine[0]
        assert (hub.host, hub.officer) == ("127.0.0.1", "KC-0421")
        assert "laptop-meja-1" in hub.name
        # The filter keeps this branch's hub and drops another branch's (an empty answer
        # for every branch would pass the second check alone).
        assert [h.port for h in browse("127.0.0.1", seconds=10.0,
                                       branch_server_id="branch-server-id-1")
                if h.port in (port, other_port)] == [port]
        assert all(port != h.port for h in browse("127.0.0.1", seconds=3.0,
                                                  branch_server_id="another-branch"))
    finally:
        announced.close()
        other.close()
