"""Every write of the domain. Views, API and commands parse, authorize and call these."""
