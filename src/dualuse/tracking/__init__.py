"""Post-export location verification: signed evidence, latency geolocation, geofences, leases."""
