"""dualuse: controlling trade in dual-use technology.

Five capabilities share one package, layered so that imports only point down:

* ``reference``  normalisers and reference data (countries, identifiers)
* ``model``      typed values: parties, screening queries and results
* ``screening``, ``controls``, ``tracking``  pure algorithms, no I/O of their own
* ``storage``    list versions, indexes, audit log, keys (SQLite by default)
* ``services``   use cases that combine algorithms and storage
* ``cli``, ``api``, ``web``  thin interfaces

Settings are one frozen object (:class:`dualuse.settings.Settings`) built at the edge
and passed in; nothing reads the environment below the interfaces.
"""

__version__ = "0.1.0"
