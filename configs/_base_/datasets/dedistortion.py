# De-distortion pairs in the layout of DedistortionDataset: the distorted
# photo is the input `img`, the original is the target `gt`.
dataset_type = 'DedistortionDataset'
data_root = 'data/builtin'
resolution = 256  # side of the training images; the paper uses 1024

load_pair = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
]
resize = dict(
    type='Resize',
    keys=['img', 'gt'],
    scale=(resolution, resolution),
    keep_ratio=False,
    interpolation='bicubic')
# Models differ in how they take their inputs: configs append their packing.
train_transforms = load_pair + [
    resize,
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
]
test_transforms = load_pair + [resize]
# Restoration models read `img` as input and `gt` as gt_img.
train_pipeline = train_transforms + [dict(type='PackInputs')]
test_pipeline = test_transforms + [dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
