"""Settings: ``base`` reads the environment; ``production`` hardens it."""
