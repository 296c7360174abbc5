"""Every write of the live engine, and the one place that publishes to the channel layer."""
