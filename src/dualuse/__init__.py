"""dualuse: controlling trade in dual-use technology.

Five capabilities share one package, layered so that imports only point down:

* ``files``      write-then-swap helpers every layer may use
* ``reference``  normalisers and reference data (countries, identifiers)
* ``model``      typed values: parties, screening queries and results
* ``screening``, ``controls``, ``tracking``  algorithms: they read their data files, keep
  no database and call no network (the tracking device simulator aside)
* ``storage``    list versions, indexes, audit log, keys (SQLite by default)
* ``views``      the JSON shape of each capability's answers and its response models,
  one module per capability, for the services and the interfaces alike
* ``services``   use cases that combine algorithms and storage
* ``cli``, ``api``, ``web``  thin interfaces

Settings are one frozen object (:class:`dualuse.settings.Settings`) built at the edge
and passed in; nothing reads the environment below the interfaces.
"""

__version__ = "0.1.0"
