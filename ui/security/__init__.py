"""Officer login, the idle lock screen and account management (Qt)."""
