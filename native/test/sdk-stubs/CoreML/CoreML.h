/* Stub of the Core ML subset aneprobe.m uses, with Apple's documented availability (see ../README.md). */
#pragma once
#import <Foundation/Foundation.h>


typedef enum MLComputeUnits : NSInteger {
    MLComputeUnitsCPUOnly = 0,
    MLComputeUnitsCPUAndGPU = 1,
    MLComputeUnitsAll = 2,
    MLComputeUnitsCPUAndNeuralEngine API_AVAILABLE(macos(13.0)) = 3
} MLComputeUnits;

typedef enum MLFeatureType : NSInteger {
    MLFeatureTypeInvalid = 0,
    MLFeatureTypeInt64 = 1,
    MLFeatureTypeDouble = 2,
    MLFeatureTypeString = 3,
    MLFeatureTypeImage = 4,
    MLFeatureTypeMultiArray = 5,
    MLFeatureTypeDictionary = 6,
    MLFeatureTypeSequence = 7
} MLFeatureType;

typedef enum MLMultiArrayDataType : NSInteger {
    MLMultiArrayDataTypeDouble = 0x10000 | 64,
    MLMultiArrayDataTypeFloat32 = 0x10000 | 32,
    MLMultiArrayDataTypeFloat16 API_AVAILABLE(macos(12.0)) = 0x10000 | 16,
    MLMultiArrayDataTypeInt32 = 0x20000 | 32
} MLMultiArrayDataType;

@interface MLModelConfiguration : NSObject
@property MLComputeUnits computeUnits;
@end

@interface MLMultiArrayConstraint : NSObject
@property(readonly) NSArray<NSNumber *> *shape;
@property(readonly) MLMultiArrayDataType dataType;
@end

@interface MLFeatureDescription : NSObject
@property(readonly) MLFeatureType type;
@property(readonly) MLMultiArrayConstraint *multiArrayConstraint;
@end

@interface MLModelDescription : NSObject
@property(readonly) NSDictionary<NSString *, MLFeatureDescription *> *inputDescriptionsByName;
@property(readonly) NSDictionary<NSString *, MLFeatureDescription *> *stateDescriptionsByName API_AVAILABLE(macos(15.0));
@end

@interface MLMultiArray : NSObject
- (instancetype)initWithShape:(NSArray<NSNumber *> *)shape dataType:(MLMultiArrayDataType)dataType error:(NSError **)error;
@property(readonly) MLMultiArrayDataType dataType;
- (void)getMutableBytesWithHandler:(void (NS_NOESCAPE ^)(void *mutableBytes, NSInteger size, NSArray<NSNumber *> *strides))handler API_AVAILABLE(macos(12.3));
@end

@interface MLFeatureValue : NSObject
+ (instancetype)featureValueWithMultiArray:(MLMultiArray *)value;
@end

@protocol MLFeatureProvider
@end

@interface MLDictionaryFeatureProvider : NSObject <MLFeatureProvider>
- (instancetype)initWithDictionary:(NSDictionary<NSString *, id> *)dictionary error:(NSError **)error;
@end

@interface MLModel : NSObject
@property(readonly) MLModelDescription *modelDescription;
+ (instancetype)modelWithContentsOfURL:(NSURL *)url configuration:(MLModelConfiguration *)configuration error:(NSError **)error;
+ (void)compileModelAtURL:(NSURL *)modelURL completionHandler:(void (^)(NSURL *compiledModelURL, NSError *error))handler API_AVAILABLE(macos(13.0));
- (id<MLFeatureProvider>)predictionFromFeatures:(id<MLFeatureProvider>)input error:(NSError **)error;
@end

/* <CoreML/MLState.h> */
API_AVAILABLE(macos(15.0))
@interface MLState : NSObject
@end

/* <CoreML/MLModel+MLState.h> */
@interface MLModel (MLState)
- (MLState *)newState API_AVAILABLE(macos(15.0));
- (id<MLFeatureProvider>)predictionFromFeatures:(id<MLFeatureProvider>)inputFeatures usingState:(MLState *)state error:(NSError **)error API_AVAILABLE(macos(15.0));
@end

API_AVAILABLE(macos(14.0))
@protocol MLComputeDeviceProtocol <NSObject>
@end

API_AVAILABLE(macos(14.0))
@interface MLCPUComputeDevice : NSObject <MLComputeDeviceProtocol>
@end

API_AVAILABLE(macos(14.0))
@interface MLGPUComputeDevice : NSObject <MLComputeDeviceProtocol>
@end

API_AVAILABLE(macos(14.0))
@interface MLNeuralEngineComputeDevice : NSObject <MLComputeDeviceProtocol>
@property(readonly) NSInteger totalCoreCount;
@end

NSArray<id<MLComputeDeviceProtocol>> *MLAllComputeDevices(void) API_AVAILABLE(macos(14.0));

API_AVAILABLE(macos(14.4))
@interface MLModelStructureNeuralNetworkLayer : NSObject
@property(readonly, copy) NSString *name;
@property(readonly, copy) NSString *type;
@end

API_AVAILABLE(macos(14.4))
@interface MLModelStructureNeuralNetwork : NSObject
@property(readonly, copy) NSArray<MLModelStructureNeuralNetworkLayer *> *layers;
@end

API_AVAILABLE(macos(14.4))
@interface MLModelStructureProgramNamedValueType : NSObject
@property(readonly, copy) NSString *name;
@end

@class MLModelStructureProgramBlock;

API_AVAILABLE(macos(14.4))
@interface MLModelStructureProgramOperation : NSObject
@property(readonly, copy) NSString *operatorName;
@property(readonly, copy) NSArray<MLModelStructureProgramNamedValueType *> *outputs;
@property(readonly, copy) NSArray<MLModelStructureProgramBlock *> *blocks;
@end

API_AVAILABLE(macos(14.4))
@interface MLModelStructureProgramBlock : NSObject
@property(readonly, copy) NSArray<MLModelStructureProgramOperation *> *operations;
@end

API_AVAILABLE(macos(14.4))
@interface MLModelStructureProgramFunction : NSObject
@property(readonly) MLModelStructureProgramBlock *block;
@end

API_AVAILABLE(macos(14.4))
@interface MLModelStructureProgram : NSObject
@property(readonly, copy) NSDictionary<NSString *, MLModelStructureProgramFunction *> *functions;
@end

@class MLModelStructurePipeline;

API_AVAILABLE(macos(14.4))
@interface MLModelStructure : NSObject
@property(readonly) MLModelStructureNeuralNetwork *neuralNetwork;
@property(readonly) MLModelStructureProgram *program;
@property(readonly) MLModelStructurePipeline *pipeline;
@end

API_AVAILABLE(macos(14.4))
@interface MLModelStructurePipeline : NSObject
@property(readonly, copy) NSArray<MLModelStructure *> *subModels;
@end

API_AVAILABLE(macos(14.4))
@interface MLComputePlanDeviceUsage : NSObject
@property(readonly, copy) NSArray<id<MLComputeDeviceProtocol>> *supportedComputeDevices;
@property(readonly) id<MLComputeDeviceProtocol> preferredComputeDevice;
@end

API_AVAILABLE(macos(14.4))
@interface MLComputePlanCost : NSObject
@property(readonly) double weight;
@end

API_AVAILABLE(macos(14.4))
@interface MLComputePlan : NSObject
+ (void)loadContentsOfURL:(NSURL *)url configuration:(MLModelConfiguration *)configuration completionHandler:(void (^)(MLComputePlan *computePlan, NSError *error))handler;
@property(readonly) MLModelStructure *modelStructure;
- (MLComputePlanDeviceUsage *)computeDeviceUsageForNeuralNetworkLayer:(MLModelStructureNeuralNetworkLayer *)layer;
- (MLComputePlanDeviceUsage *)computeDeviceUsageForMLProgramOperation:(MLModelStructureProgramOperation *)operation;
- (MLComputePlanCost *)estimatedCostOfMLProgramOperation:(MLModelStructureProgramOperation *)operation;
@end
