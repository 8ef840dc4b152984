# Study (issue 20): vgg16-helps-cosine.py again, the same model, data order
# and schedule from the same checkpoint (--init-from vgg16), scored every 2
# minutes and keeping its best checkpoint (best.pth): the first run kept
# only its latest, and its best (EPE ratio 0.757 at 80 min) was overwritten
# by the rise after it.
_base_ = ['./vgg16-helps-cosine.py']
