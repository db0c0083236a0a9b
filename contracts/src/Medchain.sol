// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {GrantBatch} from "./modules/GrantBatch.sol";

/// @title Medchain
/// @notice The ledger of who may see which medical records, and of each record's authentic
///         version. Deploy with no arguments: the deployer becomes the admin. The EIP-712 domain
///         is ("medchain", "1", chain id, this address).
contract Medchain is GrantBatch {
    constructor() EIP712("medchain", "1") {}
}
