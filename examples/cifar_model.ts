/** The CIFAR-10 network shared by train_cifar.ts and predict.ts. */
import * as dt from "../mod.ts";

const { nn } = dt;

/** Per-channel mean of the CIFAR-10 training images. */
export const CIFAR10_MEAN: number[] = [0.4914, 0.4822, 0.4465];
/** Per-channel standard deviation of the CIFAR-10 training images. */
export const CIFAR10_STD: number[] = [0.2470, 0.2435, 0.2616];
/** Class names in label order. */
export const CIFAR10_CLASSES: readonly string[] = dt.data.CIFAR10_CLASSES;

function block(cin: number, cout: number): dt.nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(cin, cout, 3, { padding: 1, bias: false }),
    new nn.BatchNorm2d(cout),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  );
}

/** Three conv-BN-ReLU-pool blocks (32, 64, 128 channels) and a dropout + linear head. */
export function buildModel(): dt.nn.Sequential {
  return new nn.Sequential(
    block(3, 32),
    block(32, 64),
    block(64, 128),
    new nn.Flatten(),
    new nn.Dropout(0.25),
    new nn.Linear(128 * 4 * 4, 10),
  );
}
