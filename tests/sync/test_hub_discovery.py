"""The hub announced by mDNS/DNS-SD on 127.0.0.1 is found by a browser in another Zeroconf
instance, with its address and port but without anything that would let a laptop join."""

from __future__ import annotations

from bpjs_field.sync.hub_discovery import Announcement, browse
from harness import free_port


def test_a_hub_announced_on_loopback_is_found_and_other_branches_filtered():
    port = free_port()
    announced = Announcement("127.0.0.1", port, "laptop-meja-1", "KC-0421", "branch-server-id-1")
    try:
        found = browse("127.0.0.1", seconds=5.0)
        mine = [h for h in found if h.port == port]
        assert len(mine) == 1
        hub = mine[0]
        assert (hub.host, hub.officer) == ("127.0.0.1", "KC-0421")
        assert "laptop-meja-1" in hub.name
        # The filter keeps this branch's hub and drops another branch's (an empty answer
        # for every branch would pass the second check alone).
        assert [h.port for h in browse("127.0.0.1", seconds=5.0,
                                       branch_server_id="branch-server-id-1")
                if h.port == port] == [port]
        assert all(port != h.port for h in browse("127.0.0.1", seconds=3.0,
                                                  branch_server_id="another-branch"))
    finally:
        announced.close()
