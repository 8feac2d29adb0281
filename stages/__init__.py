"""Pure batch transforms of desta-data. Nothing here imports Ray: `pipeline/` wires stages onto Ray Data."""
