/** The CNN's six 3x3 convolutions (createCnn, 64 filters), by input size, input channels and padding. */
export interface ConvLayer {
  size: number;
  cin: number;
  pad: "valid" | "same";
}

export const MODEL_CONV_LAYERS: readonly ConvLayer[] = [
  {size: 28, cin: 1, pad: "valid"},
  {size: 26, cin: 64, pad: "same"},
  {size: 13, cin: 64, pad: "valid"},
  {size: 11, cin: 64, pad: "same"},
  {size: 5, cin: 64, pad: "valid"},
  {size: 3, cin: 64, pad: "same"}
];
