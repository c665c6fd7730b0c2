"""netwerk: graph-based network analysis for Dutch municipal integrale veiligheid teams."""

__version__ = "0.1.0"
