"""Released models shipped with the package (see :mod:`.registry`)."""
from .registry import (ZooEntry, default_model, get_model_entry, list_models,
                       verify_weights, zoo_paths)

__all__ = ['ZooEntry', 'default_model', 'get_model_entry', 'list_models',
           'verify_weights', 'zoo_paths']
