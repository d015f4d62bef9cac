"""IAM's self-tests read the embedded account through golive's own inventories."""

from embedded_account import embedded

__all__ = ["embedded"]
