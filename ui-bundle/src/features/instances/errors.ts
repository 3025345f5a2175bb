import { toConsoleError, type AnyError, type ConsoleError } from '../../api/errors';

/** The compute API's refusals in words, and the launch form field each concerns. */
const WORDS: Record<string, { field?: string; words: string }> = {
  InvalidInstanceType: { field: 'instance_type', words: 'This instance type is not offered by the platform. Pick another one.' },
  'InvalidAMIID.NotFound': { field: 'image_id', words: 'This image does not exist or is not available to you. Pick another one.' },
  'InvalidAMIID.Malformed': { field: 'image_id', words: 'This is not a valid image id. Pick an image from the list.' },
  'InvalidSubnetID.NotFound': { field: 'subnet_id', words: 'This subnet does not exist (it may have been deleted). Pick another one.' },
  'InvalidKeyPair.NotFound': { field: 'key_name', words: 'There is no key pair with this name. Pick one from the list or create it first.' },
  'InvalidGroup.NotFound': {
    field: 'security_group_ids',
    words: 'A security group was not found in the subnet’s VPC. Pick groups of that VPC.',
  },
  InsufficientInstanceCapacity: {
    words: 'No worker has room for this instance right now. Try a smaller instance type, or try again later.',
  },
  InsufficientFreeAddressesInSubnet: {
    field: 'subnet_id',
    words: 'The subnet has no free address left. Pick another subnet, or terminate instances in this one.',
  },
  IncorrectInstanceState: { words: 'The instance is not in a state that allows this; wait until it settles, then try again.' },
  'InvalidInstanceID.NotFound': { words: 'This instance does not exist any more.' },
  'InvalidKeyPair.Duplicate': { field: 'name', words: 'You already have a key pair with this name. Choose another name.' },
  'InvalidKeyPair.Format': {
    field: 'public_key',
    words: 'This is not an OpenSSH public key the platform accepts (ed25519, ECDSA, or RSA of 2048 bits or more).',
  },
};

export interface ComputeError extends ConsoleError {
  /** The form field the error concerns, when there is one. */
  field?: string;
  /** The API's own message, kept as detail when the console's words replace it. */
  detail?: string;
}

/** An API error of the compute routes in words, with the field it concerns. */
export function computeError(error: AnyError): ComputeError | undefined {
  const e = toConsoleError(error);
  if (!e) {
    return undefined;
  }
  const known = WORDS[e.code];
  if (!known) {
    return e;
  }
  return { ...e, field: known.field, message: known.words, detail: e.message !== known.words ? e.message : undefined };
}
