package io.medssl.imaging;

/**
 * The one preprocessing step between a decoded frame and the network, shared by pretext-service
 * (training samples) and inference-service (requests) so both see identical inputs: a centred
 * square crop, then an area-average resize to {@code size × size}.
 */
public final class ModelInput {
    private ModelInput() {
    }

    public static GrayImage square(GrayImage image, int size) {
        if (image.rows() == size && image.cols() == size) {
            // Already the model's size: the area resize would give back the same values (every
            // output pixel is one input pixel with weight 1), so skip its work on the request path.
            return image;
        }
        int side = Math.min(image.rows(), image.cols());
        int top = (image.rows() - side) / 2;
        int left = (image.cols() - side) / 2;
        return Resampling.resizeArea(image, top, left, side, side, size, size);
    }
}
