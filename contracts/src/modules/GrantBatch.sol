// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {IntentTypes as T} from "../libraries/IntentTypes.sol";
import {Intents} from "./Intents.sol";

/// @title GrantBatch
/// @notice Many signed GrantAccess intents in one transaction, in a compact encoding. Each entry
///         is an ordinary EIP-712 GrantAccess, signed exactly as for grantAccessBySig (same type,
///         domain, nonce and deadline rules); only the transport is packed.
/// @dev Wire layout of `entries`: a concatenation of 131-byte entries, each
///        offset  size  field
///             0    20  patient      address; all zero: the previous entry's patient
///            20    20  doctor       address
///            40     2  scope        uint16, big-endian
///            42     1  permissions  uint8
///            43     8  expiry       uint64, big-endian
///            51     8  nonce        uint64, big-endian (the signed nonce; must fit 64 bits)
///            59     8  deadline     uint64, big-endian (the signed deadline; must fit 64 bits)
///            67    32  r            EIP-2098 compact signature:
///            99    32  vs           s with (v - 27) in its top bit
///      A zero patient stands for the previous entry's: a batch of one patient's grants sends the
///      address once, and zero is never a registered patient, so no grant that could succeed is
///      lost to the rule. docs/contracts.md ("Grant batches") documents the same layout.
///      Checks come first, effects last: an entry that fails any check changes nothing.
abstract contract GrantBatch is Intents {
    /// @dev The size of one entry of relayGrantBatch's wire layout.
    uint256 internal constant GRANT_ENTRY_BYTES = 131;
    /// @dev secp256k1's order / 2: a larger s is the malleable twin (EIP-2), refused as ECDSA does.
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice Applies each signed grant of `entries` (wire layout above) that grantAccessBySig
    ///         would accept at that point of the batch, in order. An entry that would revert
    ///         there is skipped instead: BatchEntryFailed(index, revert data grantAccessBySig
    ///         would give) is emitted, its nonce is not consumed, nothing of it is written.
    ///         A later entry of the same signer signed with a higher nonce then fails too.
    /// @dev Reverts only if `entries` is not a whole number of entries (MalformedGrantBatch).
    /// @return granted How many entries took effect.
    function relayGrantBatch(bytes calldata entries) external returns (uint256 granted) {
        uint256 count = entries.length / GRANT_ENTRY_BYTES;
        if (count * GRANT_ENTRY_BYTES != entries.length) revert MalformedGrantBatch(entries.length);
        // The GrantAccess struct being hashed, one word per member after the type hash; reused.
        bytes32[8] memory intent;
        intent[0] = T.GRANT_ACCESS;
        bytes32 domain = _domainSeparatorV4();
        uint256 at;
        assembly ("memory-safe") {
            at := entries.offset
        }
        for (uint256 i = 0; i < count;) {
            bytes memory refusal = _relayGrant(intent, at, domain);
            unchecked {
                if (refusal.length == 0) ++granted;
                else emit BatchEntryFailed(i, refusal);
                ++i;
                at += GRANT_ENTRY_BYTES;
            }
        }
    }

    /// @dev The entry at calldata offset `at`: checked as grantAccessBySig checks it, then
    ///      applied. Returns the revert data grantAccessBySig would give, empty if it took effect.
    function _relayGrant(bytes32[8] memory intent, uint256 at, bytes32 domain) private returns (bytes memory refusal) {
        uint256 deadline;
        bytes32 structHash;
        assembly ("memory-safe") {
            // A zero patient stands for the previous entry's (still in the buffer).
            let patient := shr(96, calldataload(at))
            if patient { mstore(add(intent, 0x20), patient) }
            mstore(add(intent, 0x40), shr(96, calldataload(add(at, 20)))) // doctor
            mstore(add(intent, 0x60), shr(240, calldataload(add(at, 40)))) // scope
            mstore(add(intent, 0x80), shr(248, calldataload(add(at, 42)))) // permissions
            mstore(add(intent, 0xa0), shr(192, calldataload(add(at, 43)))) // expiry
            mstore(add(intent, 0xc0), shr(192, calldataload(add(at, 51)))) // nonce
            deadline := shr(192, calldataload(add(at, 59)))
            mstore(add(intent, 0xe0), deadline)
            structHash := keccak256(intent, 0x100)
        }
        if (block.timestamp > deadline) return abi.encodeWithSelector(IntentExpired.selector, deadline);
        address signer;
        {
            bytes32 r;
            bytes32 vs;
            assembly ("memory-safe") {
                r := calldataload(add(at, 67))
                vs := calldataload(add(at, 99))
            }
            // ECDSA.recover(digest, r, vs) without its function calls; the same checks and errors.
            uint256 s = uint256(vs) & ((1 << 255) - 1);
            if (s > HALF_ORDER) return abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, bytes32(s));
            bytes32 digest = MessageHashUtils.toTypedDataHash(domain, structHash);
            assembly ("memory-safe") {
                let input := mload(0x40)
                mstore(input, digest)
                mstore(add(input, 0x20), add(27, shr(255, vs)))
                mstore(add(input, 0x40), r)
                mstore(add(input, 0x60), s)
                mstore(0, 0)
                pop(staticcall(gas(), 1, input, 0x80, 0, 0x20))
                signer := mload(0)
            }
            if (signer == address(0)) return abi.encodeWithSelector(ECDSA.ECDSAInvalidSignature.selector);
        }
        uint256 current = nonces(signer);
        if (uint256(intent[6]) != current) {
            return abi.encodeWithSelector(InvalidAccountNonce.selector, signer, current);
        }
        address patient = address(uint160(uint256(intent[1])));
        address doctor = address(uint160(uint256(intent[2])));
        uint16 scope = uint16(uint256(intent[3]));
        uint8 permissions = uint8(uint256(intent[4]));
        uint64 expiry = uint64(uint256(intent[5]));
        refusal = _grantRefusal(signer, patient, doctor, scope, permissions, expiry);
        if (refusal.length != 0) return refusal;
        _useNonce(signer);
        _writeGrant(patient, doctor, scope, permissions, expiry);
    }
}
