from .photo_restorer import PhotoRestorer, tile_starts

__all__ = ['PhotoRestorer', 'tile_starts']
