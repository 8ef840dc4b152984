from .atomic_write import (atomic_open, atomic_write_bytes, atomic_write_text,
                           remove_stale_temp_files)
from .folder_lock import check_writable_folder, folder_lock
from .input_error import InputError

__all__ = [
    'InputError', 'atomic_open', 'atomic_write_bytes', 'atomic_write_text',
    'remove_stale_temp_files', 'check_writable_folder', 'folder_lock'
]
